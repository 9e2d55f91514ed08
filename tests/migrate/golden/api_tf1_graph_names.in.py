# TF1 graph code: the rules spell each removed name through tf.compat.v1 (and switch eager off).
import numpy as np
import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 3])
w = tf.Variable(tf.random_normal([3, 1]))
y = tf.log(1 + tf.exp(tf.matmul(x, w)))
total = tf.reduce_sum(y, reduction_indices=[0])
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    print(sess.run(total, feed_dict={x: np.ones((2, 3), dtype=np.float32)}))
