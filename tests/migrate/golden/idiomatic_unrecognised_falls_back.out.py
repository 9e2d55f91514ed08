# A custom training step the idiomatic path does not recognise: the tf.compat.v1 path is used.
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

x = tf.placeholder(tf.float32, [None, 4])
w = tf.Variable(tf.zeros([4, 1]))
score = tf.reduce_max(tf.matmul(x, w))
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    print(sess.run(score, feed_dict={x: [[1.0, 2.0, 3.0, 4.0]]}))
