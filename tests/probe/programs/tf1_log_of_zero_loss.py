# TF1 graph code: a cross-entropy written by hand takes log(0).
import numpy as np
import tensorflow as tf

tf.compat.v1.disable_eager_execution()
x = tf.compat.v1.placeholder(tf.float32, [None, 4])
y = tf.compat.v1.placeholder(tf.float32, [None, 2])
w = tf.Variable(tf.zeros([4, 2]))
prediction = tf.nn.relu(tf.matmul(x, w))
loss = -tf.reduce_sum(y * tf.math.log(prediction))
train_op = tf.compat.v1.train.GradientDescentOptimizer(0.01).minimize(loss)
with tf.compat.v1.Session() as session:
    session.run(tf.compat.v1.global_variables_initializer())
    for step in range(100):
        _, value = session.run([train_op, loss], feed_dict={x: np.ones((8, 4)), y: np.ones((8, 2))})  # probe-expect: PRB704
