import tensorflow as tf

x = tf.compat.v1.placeholder(tf.float32, shape=[None, 784])
logits = tf.compat.v1.layers.dense(x, 10)

with tf.compat.v1.Session() as sess:
    sess.run(tf.compat.v1.global_variables_initializer())
