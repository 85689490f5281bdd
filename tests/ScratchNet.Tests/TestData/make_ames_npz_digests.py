"""Regenerates ames_npz_digests.json: what the course's ames.npz holds, as SHA-256 digests of each array's bytes.

The course's ames.npz is not in the repository (it is derived from data/ames/AmesHousing.csv.gz); these digests let
AmesRealDataTests prove that the CSV pipeline rebuilds it bit for bit without the file itself.
Run once, with Debian's numpy (python3-numpy 1.24), on the course's file:
    /usr/bin/python3 tests/ScratchNet.Tests/TestData/make_ames_npz_digests.py PATH/TO/ames.npz
"""
import hashlib, json, os, sys
import numpy as np

path = sys.argv[1]
z = np.load(path)
out = {"numpy": np.__version__, "source_sha256": hashlib.sha256(open(path, "rb").read()).hexdigest(), "arrays": {}}
for name in ["Xtrain", "ytrain", "Xtest", "ytest"]:
    a = z[name]
    # The bytes as ScratchNet holds them: float64, little-endian, C (row-major) order.
    data = np.ascontiguousarray(a, dtype="<f8").tobytes()
    out["arrays"][name] = {"shape": list(a.shape), "dtype": str(a.dtype), "sha256": hashlib.sha256(data).hexdigest(),
                           "min": float(a.min()), "max": float(a.max())}
target = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ames_npz_digests.json")
with open(target, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print("wrote", target)
