"""Softmax regression trained on the whole data set each step (TensorFlow 1 tutorial style)."""

import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

rng = np.random.RandomState(1)
features = rng.rand(300, 8).astype(np.float32)
classes = (features[:, 0] + features[:, 1] > 1.0).astype(np.int64)
targets = np.eye(2, dtype=np.float32)[classes]

x = tf.placeholder(tf.float32, [None, 8])
y_ = tf.placeholder(tf.float32, [None, 2])
W = tf.Variable(tf.zeros([8, 2]))
b = tf.Variable(tf.zeros([2]))
y = tf.nn.softmax(tf.matmul(x, W) + b)

cross_entropy = tf.reduce_mean(-tf.reduce_sum(y_ * tf.log(y), reduction_indices=[1]))
train_step = tf.train.GradientDescentOptimizer(0.5).minimize(cross_entropy)
correct_prediction = tf.equal(tf.argmax(y, 1), tf.argmax(y_, 1))
accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(100):
        sess.run(train_step, feed_dict={x: features, y_: targets})
    print("accuracy", sess.run(accuracy, feed_dict={x: features, y_: targets}))
    probabilities = sess.run(y, feed_dict={x: features[:3]})
    print("first rows", probabilities.shape)
