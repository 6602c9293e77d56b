#!/usr/bin/python3
"""Seed 004's SimpleNet, run correctly in PyTorch, written out as reference data.

X = randn(10, 4), y = randn(10, 1) after torch.manual_seed(42); Linear(4, 8) -> ReLU ->
Linear(8, 1) with PyTorch's default initialisation (drawn right after X and y, in that order);
MSELoss (mean), SGD with lr 0.01, 10 epochs of forward / zero_grad / backward / step on the
full batch. Unlike the seed's printout (0.5890 at every epoch), the optimizer here updates the
model that is evaluated, so the loss falls: 0.5890, 0.5656, ..., 0.4445.

Writes, next to this script, plain numeric CSV files (no header, comma-separated, float32 values
with 9 significant digits, which round-trip exactly):
  simplenet_x.csv            X, 10 x 4
  simplenet_y.csv            y, 10 x 1
  simplenet_fc1_weight.csv   fc1.weight before training, 8 x 4 (PyTorch layout: out x in)
  simplenet_fc1_bias.csv     fc1.bias before training, one row of 8
  simplenet_fc2_weight.csv   fc2.weight before training, 1 x 8
  simplenet_fc2_bias.csv     fc2.bias before training, one value
  simplenet_losses.csv       10 rows "epoch,loss": the loss of each epoch (1-based), computed
                             in that epoch's forward pass, before its update
  simplenet_predictions.csv  model(X) after the 10 epochs, under no_grad, 10 x 1

Run with PyTorch 1.13 (Debian: /usr/bin/python3):  /usr/bin/python3 simplenet_reference.py
"""
import os

import torch
import torch.nn as nn
import torch.optim as optim

HERE = os.path.dirname(os.path.abspath(__file__))
EXPECTED_LOSSES = [0.5890, 0.5656, 0.5446, 0.5257, 0.5086, 0.4932, 0.4792, 0.4665, 0.4550, 0.4445]


class SimpleNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.relu = nn.ReLU()
        self.fc2 = nn.Linear(8, 1)

    def forward(self, x):
        return self.fc2(self.relu(self.fc1(x)))


def fmt(v):
    return f"{float(v):.9g}"


def write_rows(name, rows):
    with open(os.path.join(HERE, name), "w") as f:
        for row in rows:
            f.write(",".join(fmt(v) if not isinstance(v, int) else str(v) for v in row) + "\n")


def write_tensor(name, t):
    t = t.detach()
    if t.dim() == 1:
        t = t.unsqueeze(0)  # a vector is written as one row
    write_rows(name, t.tolist())


def main():
    torch.manual_seed(42)
    X = torch.randn(10, 4)
    y = torch.randn(10, 1)
    model = SimpleNet()
    criterion = nn.MSELoss()
    optimizer = optim.SGD(model.parameters(), lr=0.01)

    write_tensor("simplenet_x.csv", X)
    write_tensor("simplenet_y.csv", y)
    write_tensor("simplenet_fc1_weight.csv", model.fc1.weight)
    write_tensor("simplenet_fc1_bias.csv", model.fc1.bias)
    write_tensor("simplenet_fc2_weight.csv", model.fc2.weight)
    write_tensor("simplenet_fc2_bias.csv", model.fc2.bias)

    losses = []
    for epoch in range(10):
        outputs = model(X)
        loss = criterion(outputs, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        print(f"epoch {epoch + 1}: loss {loss.item():.4f}")
    write_rows("simplenet_losses.csv", [[epoch + 1, l] for epoch, l in enumerate(losses)])

    model.eval()
    with torch.no_grad():
        predictions = model(X)
    write_tensor("simplenet_predictions.csv", predictions)

    got = [round(l, 4) for l in losses]
    if got != EXPECTED_LOSSES:
        print(f"losses differ from the expected correct run: {got} vs {EXPECTED_LOSSES}")
        raise SystemExit(1)
    print("losses match the correct run of seed 004 (4 decimals)")


if __name__ == "__main__":
    main()
