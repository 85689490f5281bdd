"""Prints the numpy-computed constants that tests attribute to numpy, each with the test that pins it.

Run with Debian's numpy (python3-numpy 1.24):
    /usr/bin/python3 tests/ScratchNet.Tests/TestData/make_course_constants.py [PATH/TO/ames.npz]
Fashion-MNIST is read from /usr/share/datasets/fashion-mnist (apt-get install dataset-fashion-mnist). Ames: the
course's ames.npz when given; otherwise data/ames/AmesHousing.csv.gz is not used (numpy has no CSV pipeline here) and
the ridge constants are skipped. The course MLP's first epoch takes a minute or two (50,000 per-example steps).

The algorithm is the course's (REFERENCE.md): np.random.seed(42); W1 = normal(0.1, 0.1, (200, 784)), then
W2 = normal(0.1, 0.1, (10, 200)), biases 0; per epoch X = X[permutation(n)] (orders compound); per example the
gradients of both layers from the same forward pass, then W -= eta * grad; loss = logsumexp(z) - z[y]; pixels / 256.
"""
import gzip, hashlib, os, sys
import numpy as np

FM = "/usr/share/datasets/fashion-mnist"

def idx(name):
    path = os.path.join(FM, name)
    opener = gzip.open if not os.path.exists(path) else open
    path = path if os.path.exists(path) else path + ".gz"
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)

def hash16(order):
    return hashlib.sha256(np.asarray(order, dtype="<i4").tobytes()).hexdigest()[:16]

train_x = idx("train-images-idx3-ubyte").reshape(60000, 784)
train_y = idx("train-labels-idx1-ubyte")
test_x = idx("t10k-images-idx3-ubyte").reshape(10000, 784)
test_y = idx("t10k-labels-idx1-ubyte")
p = np.random.RandomState(42).permutation(60000)
dev_x, dev_y = train_x[p[:10000]], train_y[p[:10000]]
tr_x, tr_y = train_x[p[10000:]], train_y[p[10000:]]

print("numpy", np.__version__)
# DataCommandTests.Info_reports_both_data_sets_verified_with_shapes_and_balance: class 7 (Sneaker) train / dev / test.
print("bincount class 7 train/dev/test:", np.bincount(tr_y)[7], np.bincount(dev_y)[7], np.bincount(test_y)[7])

# MlpCourseTests.Course_init_draws_W1_then_W2_as_numpy_in_out_in_order
np.random.seed(42)
W1 = np.random.normal(0.1, 0.1, (200, 784))
W2 = np.random.normal(0.1, 0.1, (10, 200))
b1, b2 = np.zeros(200), np.zeros(10)
print("W1[0,0:3]", [repr(v) for v in W1[0, :3]], "W1[199,783]", repr(W1[199, 783]), "W2[9,199]", repr(W2[9, 199]))
print("sum W1", repr(W1.sum()), "sum W2", repr(W2.sum()))

# MlpCourseTests.Every_epoch_order_after_the_init_draws_is_numpys (a copy of the stream: the training below draws its own)
state = np.random.get_state()
order = np.arange(50000)
orders = []
for epoch in range(20):
    order = order[np.random.permutation(50000)]
    orders.append(order)
print("epoch 1 order head", orders[0][:5].tolist(), "tail", orders[0][-3:].tolist(), "hash", hash16(orders[0]))
print("epoch 2 order hash", hash16(orders[1]))
print("epoch 20 order head", orders[19][:5].tolist(), "hash", hash16(orders[19]))
np.random.set_state(state)

# MlpCourseTests.First_training_losses_match_numpys_recorded_ones and First_epoch_lands_near_numpy
X = tr_x.astype(np.float64) / 256
Y = tr_y
perm = np.random.permutation(50000)
X, Y = X[perm], Y[perm]
eta = 0.001
losses = np.empty(50000)
for i in range(50000):
    x, y = X[i], Y[i]
    a1 = W1 @ x + b1
    h = np.maximum(a1, 0)
    z = W2 @ h + b2
    m = z.max()
    lse = m + np.log(np.exp(z - m).sum())
    losses[i] = lse - z[y]
    g = np.exp(z - lse)
    g[y] -= 1
    gW2 = np.outer(g, h)
    gh = W2.T @ g
    ga1 = gh * (a1 > 0)
    gW1 = np.outer(ga1, x)
    W2 -= eta * gW2
    b2 -= eta * g
    W1 -= eta * gW1
    b1 -= eta * ga1
print("epoch 1 losses at steps 0-4, 20, 50, 99:", [repr(losses[s]) for s in (0, 1, 2, 3, 4, 20, 50, 99)])

def accuracy(images, labels):
    h = np.maximum(images.astype(np.float64) / 256 @ W1.T + b1, 0)
    return float(np.mean(np.argmax(h @ W2.T + b2, axis=1) == labels))

print("epoch 1 mean loss", repr(losses.mean()), "dev", accuracy(dev_x, dev_y), "test", accuracy(test_x, test_y))

# RidgeRegressionAmesTests.Matches_numpy_on_the_Ames_training_set
if len(sys.argv) > 1:
    z = np.load(sys.argv[1])
    Xa = np.hstack([z["Xtrain"], np.ones((z["Xtrain"].shape[0], 1))])
    ya = z["ytrain"].ravel()
    for lam in (1e-4, 1.0):
        w = np.linalg.solve(Xa.T @ Xa + lam * np.eye(Xa.shape[1]), Xa.T @ ya)
        rmse = np.sqrt(np.mean((Xa @ w - ya) ** 2))
        print("ridge lambda", lam, "w0", repr(w[0]), "w1", repr(w[1]), "bias", repr(w[348]), "norm", repr(np.linalg.norm(w)), "rmse", repr(rmse))
