"""A small CNN built with tf.layers, integer labels, dropout with a keep-probability placeholder."""

import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

rng = np.random.RandomState(2)
images = rng.rand(256, 12, 12, 1).astype(np.float32)
digits = (images.mean(axis=(1, 2, 3)) > 0.5).astype(np.int32)

inputs = tf.placeholder(tf.float32, shape=[None, 12, 12, 1], name="inputs")
labels = tf.placeholder(tf.int32, shape=[None], name="labels")
keep_prob = tf.placeholder(tf.float32)

conv1 = tf.layers.conv2d(inputs, 8, 3, padding="same", activation=tf.nn.relu)
pool1 = tf.layers.max_pooling2d(conv1, 2, 2)
conv2 = tf.layers.conv2d(pool1, 16, 3, padding="same", activation=tf.nn.relu)
pool2 = tf.nn.max_pool(conv2, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
flat = tf.reshape(pool2, [-1, 3 * 3 * 16])
dense = tf.layers.dense(flat, 32, activation=tf.nn.relu)
dropped = tf.nn.dropout(dense, keep_prob)
logits = tf.layers.dense(dropped, 2)

loss = tf.reduce_mean(
    tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
)
train_op = tf.train.MomentumOptimizer(0.05, 0.9).minimize(loss)

batch_size = 32
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for epoch in range(3):
        for start in range(0, len(images), batch_size):
            end = start + batch_size
            sess.run(train_op, feed_dict={inputs: images[start:end], labels: digits[start:end], keep_prob: 0.75})
        print("epoch", epoch, "loss", sess.run(loss, feed_dict={inputs: images, labels: digits, keep_prob: 1.0}))
