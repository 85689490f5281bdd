"""Loads a ScratchNet run the way a Python user would and prints its test accuracy as JSON.

usage: check_export.py RUN_FOLDER MODEL_PT FASHION_MNIST_DIR

* PyTorch: the nn.Sequential of docs/export.md (one nn.Linear for the linear models) loads model.pt with
  load_state_dict(torch.load(...)).
* numpy alone: model.safetensors parsed by the format's public spec (8-byte little-endian header length, JSON
  header, raw little-endian tensors) and its __metadata__, then the forward pass.
"""
import gzip
import json
import struct
import sys

import numpy as np
import torch
from torch import nn


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    metadata = header.pop("__metadata__", {})
    dtypes = {"F32": "<f4", "F64": "<f8", "I64": "<i8"}
    tensors = {}
    for name, entry in header.items():
        start, end = entry["data_offsets"]
        tensors[name] = np.frombuffer(data[8 + n + start:8 + n + end], dtype=dtypes[entry["dtype"]]).reshape(entry["shape"])
    return tensors, metadata


def build_torch_model(metadata):
    """The course's model: one Linear, or [Linear -> activation -> Dropout] x hidden layers, then Linear."""
    sizes = json.loads(metadata["layer_sizes"])
    if len(sizes) == 2:
        return nn.Linear(sizes[0], sizes[1])
    activation = nn.Tanh if metadata["activation"] == "tanh" else nn.ReLU
    modules = []
    for fan_in, fan_out in zip(sizes[:-2], sizes[1:-1]):
        modules += [nn.Linear(fan_in, fan_out), activation(), nn.Dropout(float(metadata["dropout"]))]
    modules.append(nn.Linear(sizes[-2], sizes[-1]))
    return nn.Sequential(*modules)


def numpy_forward(tensors, metadata, x):
    layers = json.loads(metadata["layers"])
    for i, (weight, bias) in enumerate(layers):
        w = tensors[weight].astype(np.float64)
        if metadata["bias_column"] == "last":
            w, b = w[:, :-1], w[:, -1]
        else:
            b = tensors[bias].astype(np.float64)
        x = x @ w.T + b
        if i < len(layers) - 1:
            x = np.tanh(x) if metadata["activation"] == "tanh" else np.maximum(x, 0)
    return x


def main():
    run, model_pt, data_dir = sys.argv[1:4]
    tensors, metadata = read_safetensors(f"{run}/model.safetensors")
    pixels = read_idx(f"{data_dir}/t10k-images-idx3-ubyte.gz").reshape(-1, 784)
    labels = read_idx(f"{data_dir}/t10k-labels-idx1-ubyte.gz")
    x = pixels.astype(np.float64) * float(metadata["input_scale"])

    model = build_torch_model(metadata)
    model.load_state_dict(torch.load(model_pt))
    if metadata["dtype"] == "F64":
        model = model.double()
    model.eval()
    with torch.no_grad():
        logits = model(torch.from_numpy(x).to(torch.float64 if metadata["dtype"] == "F64" else torch.float32))
    torch_accuracy = float((logits.argmax(dim=1).numpy() == labels).mean())

    numpy_accuracy = float((numpy_forward(tensors, metadata, x).argmax(axis=1) == labels).mean())
    print(json.dumps({"torch": torch.__version__, "keys": list(model.state_dict().keys()),
                      "torch_accuracy": torch_accuracy, "numpy_accuracy": numpy_accuracy}))


if __name__ == "__main__":
    main()
