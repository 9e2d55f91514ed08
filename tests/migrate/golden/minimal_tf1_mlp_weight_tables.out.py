"""A two-hidden-layer perceptron in the style of the classic TensorFlow 1 examples."""

import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

# Synthetic data: 4 classes of points around 4 centres.
rng = np.random.RandomState(0)
centres = rng.normal(0, 3, size=(4, 20))
labels = rng.randint(0, 4, size=600)
X_train = (centres[labels] + rng.normal(0, 1, size=(600, 20))).astype(np.float32)
Y_train = np.eye(4, dtype=np.float32)[labels]
X_test, Y_test = X_train[500:], Y_train[500:]
X_train, Y_train = X_train[:500], Y_train[:500]

learning_rate = 0.01
training_epochs = 5
batch_size = 50
n_hidden_1 = 32
n_hidden_2 = 32
n_input = 20
n_classes = 4

x = tf.placeholder("float", [None, n_input])
y = tf.placeholder("float", [None, n_classes])

weights = {
    "h1": tf.Variable(tf.random_normal([n_input, n_hidden_1])),
    "h2": tf.Variable(tf.random_normal([n_hidden_1, n_hidden_2])),
    "out": tf.Variable(tf.random_normal([n_hidden_2, n_classes])),
}
biases = {
    "b1": tf.Variable(tf.random_normal([n_hidden_1])),
    "b2": tf.Variable(tf.random_normal([n_hidden_2])),
    "out": tf.Variable(tf.random_normal([n_classes])),
}


def multilayer_perceptron(x, weights, biases):
    layer_1 = tf.add(tf.matmul(x, weights["h1"]), biases["b1"])
    layer_1 = tf.nn.relu(layer_1)
    layer_2 = tf.add(tf.matmul(layer_1, weights["h2"]), biases["b2"])
    layer_2 = tf.nn.relu(layer_2)
    out_layer = tf.matmul(layer_2, weights["out"]) + biases["out"]
    return out_layer


pred = multilayer_perceptron(x, weights, biases)
cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=pred, labels=y))
optimizer = tf.train.AdamOptimizer(learning_rate=learning_rate).minimize(cost)
correct_prediction = tf.equal(tf.argmax(pred, 1), tf.argmax(y, 1))
accuracy = tf.reduce_mean(tf.cast(correct_prediction, "float"))
init = tf.global_variables_initializer()

with tf.Session() as sess:
    sess.run(init)
    for epoch in range(training_epochs):
        avg_cost = 0.0
        total_batch = int(len(X_train) / batch_size)
        for i in range(total_batch):
            batch_x = X_train[i * batch_size : (i + 1) * batch_size]
            batch_y = Y_train[i * batch_size : (i + 1) * batch_size]
            _, c = sess.run([optimizer, cost], feed_dict={x: batch_x, y: batch_y})
            avg_cost += c / total_batch
        print("Epoch:", "%04d" % (epoch + 1), "cost=", "{:.9f}".format(avg_cost))
    print("Optimization Finished!")
    print("Accuracy:", accuracy.eval({x: X_test, y: Y_test}))
