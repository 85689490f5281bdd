"""Regenerates numpy_vectors.json, the reference draws NumpyRandomStateTests compares against.

Run with Debian's numpy (python3-numpy 1.24): /usr/bin/python3 tests/ScratchNet.Tests/TestData/make_numpy_vectors.py
"""
import json, os
import numpy as np

def weighted_sum(perm):
    # A cheap fingerprint of a long permutation: sum of i * perm[i] (exact in int64 for n = 60000).
    return int(np.sum(np.arange(len(perm), dtype=np.int64) * perm.astype(np.int64)))

out = {"numpy": np.__version__}
rs = np.random.RandomState(42)
out["raw_uint32_seed42"] = [int(v) for v in np.random.RandomState(42).randint(0, 2**32, size=8, dtype=np.uint64)]
out["random_sample_seed42"] = np.random.RandomState(42).random_sample(6).tolist()
out["normal_seed42"] = np.random.RandomState(42).normal(0.1, 0.1, size=7).tolist()
out["randint_0_10_seed7"] = np.random.RandomState(7).randint(0, 10, size=12).tolist()
out["randint_wide_seed7"] = [int(v) for v in np.random.RandomState(7).randint(-5, 1 << 40, size=4)]
out["permutation20_seed42"] = np.random.RandomState(42).permutation(20).tolist()
p = np.random.RandomState(42).permutation(60000)
out["permutation60000_seed42_head"] = p[:10].tolist()
out["permutation60000_seed42_fingerprint"] = weighted_sum(p)
# The course's sequence: seed the global stream, draw weights, then one permutation per epoch.
np.random.seed(42)
w = np.random.normal(0.1, 0.1, size=(3, 5))
e1 = np.random.permutation(50)
e2 = np.random.permutation(50)
out["course_sequence"] = {"weights": w.ravel().tolist(), "epoch1": e1.tolist(), "epoch2": e2.tolist()}
out["seed_max_uint32"] = np.random.RandomState(2**32 - 1).random_sample(3).tolist()
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "numpy_vectors.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
