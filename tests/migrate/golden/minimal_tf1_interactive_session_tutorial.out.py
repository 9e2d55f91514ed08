"""The TensorFlow 1 beginners' tutorial shape: an InteractiveSession, next_batch, and the
accuracy defined after training (a small in-memory data set stands in for MNIST)."""

import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()


class Split:
    def __init__(self, images, labels):
        self.images, self.labels, self.position = images, labels, 0

    def next_batch(self, size):
        start = self.position % len(self.images)
        self.position += size
        return self.images[start : start + size], self.labels[start : start + size]


class Digits:
    def __init__(self):
        rng = np.random.RandomState(3)
        images = rng.rand(400, 64).astype(np.float32)
        labels = np.eye(3, dtype=np.float32)[(images[:, :3].argmax(axis=1))]
        self.train = Split(images[:300], labels[:300])
        self.test = Split(images[300:], labels[300:])


mnist = Digits()

x = tf.placeholder(tf.float32, [None, 64])
W = tf.Variable(tf.zeros([64, 3]))
b = tf.Variable(tf.zeros([3]))
y = tf.matmul(x, W) + b
y_ = tf.placeholder(tf.float32, [None, 3])
cross_entropy = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y_, logits=y))
train_step = tf.train.GradientDescentOptimizer(0.5).minimize(cross_entropy)

sess = tf.InteractiveSession()
tf.global_variables_initializer().run()
for _ in range(200):
    batch_xs, batch_ys = mnist.train.next_batch(50)
    sess.run(train_step, feed_dict={x: batch_xs, y_: batch_ys})

correct_prediction = tf.equal(tf.argmax(y, 1), tf.argmax(y_, 1))
accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))
print(sess.run(accuracy, feed_dict={x: mnist.test.images, y_: mnist.test.labels}))
sess.close()
