# TF1 graph code: the rules spell each removed name through tf.compat.v1 (and switch eager off).
import numpy as np
import tensorflow as tf
tf.compat.v1.disable_eager_execution()

x = tf.compat.v1.placeholder(tf.float32, [None, 3])
w = tf.Variable(tf.random.normal([3, 1]))
y = tf.math.log(1 + tf.exp(tf.matmul(x, w)))
total = tf.reduce_sum(y, axis=[0])
with tf.compat.v1.Session() as sess:
    sess.run(tf.compat.v1.global_variables_initializer())
    print(sess.run(total, feed_dict={x: np.ones((2, 3), dtype=np.float32)}))
