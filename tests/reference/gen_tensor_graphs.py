#!/usr/bin/env python3
"""Generates tensor_graphs_<k>.cpp: random compile-time tensor expressions checked against LibTorch.

Each graph is built bottom-up from a few params and an input with small shapes (extents 1..5,
ranks 0..3). Every step applies a random op to random earlier subexpressions, so subexpressions
are shared (one node used by several consumers: fan-out) and operands broadcast against each
other. Ops whose domain or range is limited appear in safe forms (log and sqrt of positive
values, division by square(b) + 1, pow of abs(a) + 0.5), magnitudes are kept small, and amax /
amin only reduce operands whose values are distinct along the reduced axes (no broadcast axis,
no relu/abs/max/min/where/mask below), so no tie decides a gradient by accident. The root is
either the last subexpression (differentiated with a random seed gradient when it is not a
scalar) or sum(last * w) for an input w of its shape.

Usage: gen_tensor_graphs.py [--graphs 300] [--per-file 38] [--steps 4] [--seed 20261124] [--out DIR]
The output is deterministic for a given seed; the files are committed.
"""
import argparse
import math
import os
import random

ALL_OPS = ["add", "sub", "mul", "div", "neg", "square", "pow", "exp", "log", "sqrt", "abs", "sin", "cos",
           "tanh", "sigmoid", "relu", "softplus", "max", "min", "lt", "le", "gt", "ge", "eq", "ne", "where",
           "sum", "mean", "amax", "amin", "matmul", "transpose", "reshape", "broadcast_to", "slice",
           "concatenate"]


class Expr:
    """A subexpression: its C++ text (a variable name once emitted), shape, magnitude bound,
    which axes its values vary along, and whether its values are free of ties."""

    def __init__(self, code, shape, mag, varies, distinct, ops, depth=0, parents=(), line=None, kind=None):
        self.code = code
        self.parents = list(parents)
        self.line = line
        self.kind = kind
        self.shape = tuple(shape)
        self.mag = mag
        self.varies = tuple(varies)
        self.distinct = distinct
        self.ops = set(ops)
        self.depth = depth
        self.uses = 0


def broadcast(s, t):
    r = max(len(s), len(t))
    s2 = (1,) * (r - len(s)) + tuple(s)
    t2 = (1,) * (r - len(t)) + tuple(t)
    out = []
    for a, b in zip(s2, t2):
        if a == b or b == 1:
            out.append(a)
        elif a == 1:
            out.append(b)
        else:
            return None
    return tuple(out)


def aligned_varies(e, rank):
    pad = rank - len(e.shape)
    return (False,) * pad + tuple(v and n > 1 for v, n in zip(e.varies, e.shape))


def shape_code(shape):
    return "tl::shape<" + ", ".join(str(n) for n in shape) + ">"


def num(x):
    s = repr(float(x))
    return s


class Graph:
    def __init__(self, rng, index, dtype):
        self.rng = rng
        self.index = index
        self.dtype = dtype
        self.leaves = []  # (name, kind, shape)
        self.lines = []
        self.pool = []
        self.count = 0
        self.ops = set()

    # -- leaves ---------------------------------------------------------------------------
    def leaf(self, kind, shape):
        name = ("p" if kind == "param" else "u") + str(len(self.leaves))
        e = Expr(name, shape, 1.5, [n > 1 for n in shape], True, [], kind=kind)
        self.leaves.append(e)
        return e

    def can_add_leaf(self):
        return len(self.leaves) < 5

    # -- emission -------------------------------------------------------------------------
    def emit(self, code, shape, mag, varies, distinct, ops, parents):
        name = "e%d" % self.count
        self.count += 1
        for p in parents:
            p.uses += 1
        e = Expr(name, shape, mag, varies, distinct, ops, 1 + max([p.depth for p in parents] + [0]), parents,
                 "  constexpr auto %s = %s;" % (name, code))
        self.lines.append(e)
        self.pool.append(e)
        return e

    def pick(self, pred=lambda e: True):
        cands = [e for e in self.pool if pred(e)]
        if not cands:
            return None
        # Prefer recent subexpressions (deeper graphs) but reuse older ones too (fan-out).
        weights = [1.0 + 0.5 * i for i in range(len(cands))]
        return self.rng.choices(cands, weights)[0]

    def lit_or_num(self, x):
        if self.rng.random() < 0.4:
            return "tl::lit<%s>" % num(x)
        return num(x)

    # -- ops ------------------------------------------------------------------------------
    def squash(self, a):
        """A bounded version of a when its magnitude is large."""
        if a.mag <= 4:
            return a
        return self.emit("tl::tanh(%s)" % a.code, a.shape, 1.0, a.varies, a.distinct, ["tanh"], [a])

    def unary(self, a):
        r = self.rng
        op = r.choice(["neg", "square", "exp", "log", "sqrt", "abs", "sin", "cos", "tanh", "sigmoid", "relu",
                       "softplus"])
        c, m, d = a.code, a.mag, a.distinct
        if op == "neg":
            return self.emit("-%s" % c, a.shape, m, a.varies, d, ["neg"], [a])
        if op == "square":
            a = self.squash(a)
            return self.emit("tl::square(%s)" % a.code, a.shape, a.mag ** 2, a.varies, a.distinct, ["square"], [a])
        if op == "exp":
            if a.mag <= 2.5 and r.random() < 0.6:
                return self.emit("tl::exp(%s)" % c, a.shape, math.exp(m), a.varies, d, ["exp"], [a])
            return self.emit("tl::exp(tl::tanh(%s))" % c, a.shape, math.e, a.varies, d, ["exp", "tanh"], [a])
        if op == "log":
            form = r.randrange(3)
            if form == 0:
                return self.emit("tl::log(tl::square(%s) + %s)" % (c, self.lit_or_num(1.0)), a.shape,
                                 math.log(m * m + 1) + 1, a.varies, d, ["log", "square", "add"], [a])
            if form == 1:
                return self.emit("tl::log(tl::abs(%s) + %s)" % (c, self.lit_or_num(0.5)), a.shape,
                                 abs(math.log(0.5)) + math.log(m + 0.5), a.varies, False, ["log", "abs", "add"], [a])
            return self.emit("tl::log(tl::softplus(%s) + %s)" % (c, self.lit_or_num(0.25)), a.shape,
                             abs(math.log(0.25)) + m, a.varies, d, ["log", "softplus", "add"], [a])
        if op == "sqrt":
            if r.random() < 0.5:
                return self.emit("tl::sqrt(tl::square(%s) + %s)" % (c, self.lit_or_num(0.5)), a.shape, m + 1,
                                 a.varies, d, ["sqrt", "square", "add"], [a])
            a = self.squash(a)
            return self.emit("tl::sqrt(tl::exp(%s))" % a.code, a.shape, math.exp(a.mag / 2), a.varies, d,
                             ["sqrt", "exp"], [a])
        if op == "abs":
            return self.emit("tl::abs(%s)" % c, a.shape, m, a.varies, False, ["abs"], [a])
        if op in ("sin", "cos", "tanh", "sigmoid"):
            return self.emit("tl::%s(%s)" % (op, c), a.shape, 1.0, a.varies, d, [op], [a])
        if op == "relu":
            return self.emit("tl::relu(%s)" % c, a.shape, m, a.varies, False, ["relu"], [a])
        return self.emit("tl::softplus(%s)" % c, a.shape, m + 1, a.varies, d, ["softplus"], [a])

    def partner(self, shape, allow_scalar=True, other=None):
        """An operand that broadcasts with `shape`: an existing one (rarely `other` itself), or a new leaf."""
        r = self.rng
        cands = [e for e in self.pool if broadcast(e.shape, shape) is not None and len(e.shape) <= 3 and
                 (e is not other or r.random() < 0.1)]
        if cands and (r.random() < 0.6 or not self.can_add_leaf()):
            return r.choice(cands)
        if not self.can_add_leaf():
            return None
        # A new leaf with some axes of `shape` set to 1 or dropped, or a scalar.
        k = r.random()
        if k < 0.12 and allow_scalar:
            s = ()
        else:
            s = list(shape)
            for i in range(len(s)):
                if r.random() < 0.35:
                    s[i] = 1
            drop = r.randrange(len(s) + 1) if s and r.random() < 0.4 else 0
            s = s[drop:]
            if r.random() < 0.15 and len(s) < 3:
                s = [1] + s if r.random() < 0.5 else s
        kind = "input" if r.random() < 0.25 else "param"
        return self.leaf(kind, s)

    def binary(self, a):
        r = self.rng
        b = self.partner(a.shape, other=a)
        if b is None:
            return self.unary(a)
        if r.random() < 0.5:
            a, b = b, a
        shape = broadcast(a.shape, b.shape)
        rank = len(shape)
        va, vb = aligned_varies(a, rank), aligned_varies(b, rank)
        varies = [x or y for x, y in zip(va, vb)]
        dist = a.distinct and b.distinct and all(varies[i] or shape[i] == 1 for i in range(rank)) and \
            all((x or n == 1) for x, n in zip(va, shape)) and all((y or n == 1) for y, n in zip(vb, shape))
        op = r.choice(["add", "sub", "mul", "div", "pow", "max", "min", "num"])
        if op == "add":
            return self.emit("%s + %s" % (a.code, b.code), shape, a.mag + b.mag, varies, dist, ["add"], [a, b])
        if op == "sub":
            return self.emit("%s - %s" % (a.code, b.code), shape, a.mag + b.mag, varies, dist, ["sub"], [a, b])
        if op == "mul":
            a, b = self.squash(a), self.squash(b)
            return self.emit("%s * %s" % (a.code, b.code), shape, a.mag * b.mag, varies, dist, ["mul"], [a, b])
        if op == "div":
            b = self.squash(b)
            return self.emit("%s / (tl::square(%s) + %s)" % (a.code, b.code, self.lit_or_num(1.0)), shape, a.mag,
                             varies, dist, ["div", "square", "add"], [a, b])
        if op == "pow":
            form = r.randrange(3)
            if form == 0:
                b = self.squash(b)
                return self.emit("tl::pow(tl::abs(%s) + %s, tl::tanh(%s))" % (a.code, self.lit_or_num(0.5), b.code),
                                 shape, max(2.0, (a.mag + 0.5)), varies, False, ["pow", "abs", "add", "tanh"], [a, b])
            a = self.squash(a)
            if form == 1:
                return self.emit("tl::pow(tl::abs(%s) + %s, 1.5)" % (a.code, self.lit_or_num(0.5)), a.shape,
                                 (a.mag + 0.5) ** 1.5, a.varies, False, ["pow", "abs", "add"], [a])
            return self.emit("tl::pow(%s, %s)" % (a.code, r.choice(["2", "3", "tl::lit<2.0>"])), a.shape,
                             a.mag ** 3, a.varies, a.distinct, ["pow"], [a])
        if op in ("max", "min"):
            return self.emit("tl::%s(%s, %s)" % (op, a.code, b.code), shape, max(a.mag, b.mag), varies, False,
                             [op], [a, b])
        # a number on one side
        x = round(r.uniform(-2, 2), 2) or 0.5
        form = r.randrange(4)
        if form == 0:
            return self.emit("%s * %s" % (a.code, self.lit_or_num(x)), a.shape, a.mag * abs(x), a.varies,
                             a.distinct, ["mul"], [a])
        if form == 1:
            return self.emit("%s - %s" % (self.lit_or_num(x), a.code), a.shape, a.mag + abs(x), a.varies,
                             a.distinct, ["sub"], [a])
        if form == 2:
            return self.emit("tl::max(%s, %s)" % (a.code, num(x / 4)), a.shape, a.mag + abs(x), a.varies, False,
                             ["max"], [a])
        return self.emit("tl::min(%s, %s)" % (num(x / 4), a.code), a.shape, a.mag + abs(x), a.varies, False,
                         ["min"], [a])

    def masked(self, a):
        r = self.rng
        b = self.partner(a.shape, allow_scalar=True, other=a)
        if b is None:
            return self.unary(a)
        shape = broadcast(a.shape, b.shape)
        rank = len(shape)
        varies = [x or y for x, y in zip(aligned_varies(a, rank), aligned_varies(b, rank))]
        cmp = r.choice(["lt", "le", "gt", "ge", "eq", "ne"])
        opname = {"lt": "<", "le": "<=", "gt": ">", "ge": ">="}
        if cmp in opname and r.random() < 0.5:
            mask = "(%s %s %s)" % (a.code, opname[cmp], b.code)
        else:
            mask = "tl::%s(%s, %s)" % (cmp, a.code, b.code)
        form = r.randrange(3)
        if form == 0:
            return self.emit("tl::where(%s, %s, %s)" % (mask, a.code, b.code), shape, max(a.mag, b.mag), varies,
                             False, [cmp, "where"], [a, b])
        if form == 1:
            return self.emit("tl::where(%s, %s, %s)" % (mask, a.code, self.lit_or_num(0.25)), shape, max(a.mag, 0.25),
                             varies, False, [cmp, "where"], [a, b])
        return self.emit("%s * %s + %s" % (mask, a.code, b.code), shape, a.mag + b.mag, varies, False,
                         [cmp, "mul", "add"], [a, b])

    def reduce(self, a):
        r = self.rng
        rank = len(a.shape)
        if rank == 0:
            return self.unary(a)
        kind = r.choice(["sum", "mean", "amax", "amin"])
        axes = sorted(r.sample(range(rank), r.randint(1, rank)))
        if kind in ("amax", "amin"):
            ok = a.distinct and all(a.varies[i] or a.shape[i] == 1 for i in axes)
            if not ok:
                kind = r.choice(["sum", "mean"])
        keep = r.random() < 0.4
        all_axes = len(axes) == rank and r.random() < 0.5
        targs = "" if all_axes else "<" + ", ".join(map(str, axes)) + ">"
        code = "tl::%s%s(%s%s)" % (kind, targs, a.code, ", tl::keepdims" if keep else "")
        shape, varies = [], []
        for i in range(rank):
            if i in axes:
                if keep:
                    shape.append(1)
                    varies.append(False)
            else:
                shape.append(a.shape[i])
                varies.append(a.varies[i])
        n = 1
        for i in axes:
            n *= a.shape[i]
        mag = a.mag * (n if kind == "sum" else 1)
        e = self.emit(code, shape, mag, varies, a.distinct and kind in ("sum", "mean"), [kind], [a])
        return e

    def matmul(self, a):
        r = self.rng
        rank = len(a.shape)
        if rank not in (2, 3):
            return self.reshape(a)
        a = self.squash(a)
        k = a.shape[-1]
        n = r.randint(1, 5)
        batch = a.shape[:-2]
        cands = [e for e in self.pool if e.shape == batch + (k, n)]
        tcands = [e for e in self.pool if e.shape == batch + (n, k)]
        choice = r.random()
        transposed = False
        if cands and choice < 0.4:
            b = self.squash(r.choice(cands))
        elif tcands and choice < 0.6:
            b, transposed = self.squash(r.choice(tcands)), True
        elif self.can_add_leaf():
            transposed = r.random() < 0.3
            b = self.leaf("param", batch + ((n, k) if transposed else (k, n)))
        else:
            b, transposed, n = a, True, a.shape[-2]  # A Aᵀ
        bcode = "tl::transpose(%s)" % b.code if transposed else b.code
        ops = ["matmul"] + (["transpose"] if transposed else [])
        if r.random() < 0.2 and rank == 2:
            # (Bᵀ Aᵀ)ᵀ is A B: transposed operands reach BLAS as flags.
            code = "tl::transpose(tl::matmul(tl::transpose(%s), tl::transpose(%s)))" % (bcode, a.code)
            ops.append("transpose")
        else:
            code = "tl::matmul(%s, %s)" % (a.code, bcode)
        shape = batch + (a.shape[-2], n)
        varies = list(a.varies[:-2]) + [a.varies[-2], True]
        return self.emit(code, shape, a.mag * b.mag * k, varies, False, ops, [a, b])

    def transpose(self, a):
        rank = len(a.shape)
        if rank < 2:
            return self.reshape(a)
        if rank == 2 or self.rng.random() < 0.4:
            code, (d0, d1) = "tl::transpose(%s)" % a.code, (rank - 2, rank - 1)
        else:
            d0, d1 = self.rng.sample(range(rank), 2)
            code = "tl::transpose<%d, %d>(%s)" % (d0, d1, a.code)
        shape, varies = list(a.shape), list(a.varies)
        shape[d0], shape[d1] = shape[d1], shape[d0]
        varies[d0], varies[d1] = varies[d1], varies[d0]
        return self.emit(code, shape, a.mag, varies, a.distinct, ["transpose"], [a])

    def reshape(self, a):
        size = 1
        for n in a.shape:
            size *= n
        r = self.rng
        options = []
        for rank in (1, 2, 3):
            for s in factorizations(size, rank):
                if all(1 <= x <= 6 for x in s) and tuple(s) != a.shape:
                    options.append(tuple(s))
        if not options:
            return self.unary(a)
        s = r.choice(options)
        code = "tl::reshape<%s>(%s)" % (", ".join(map(str, s)), a.code)
        all_vary = all(v or n == 1 for v, n in zip(a.varies, a.shape))
        return self.emit(code, s, a.mag, [n > 1 and all_vary for n in s], a.distinct and all_vary, ["reshape"], [a])

    def broadcast_to(self, a):
        r = self.rng
        shape = list(a.shape)
        varies = list(a.varies)
        for i in range(len(shape)):
            if shape[i] == 1 and r.random() < 0.7:
                shape[i] = r.randint(2, 4)
        if len(shape) < 3 and (r.random() < 0.6 or tuple(shape) == a.shape):
            shape = [r.randint(2, 4)] + shape
            varies = [False] + varies
        code = "tl::broadcast_to<%s>(%s)" % (", ".join(map(str, shape)), a.code)
        pad = len(shape) - len(a.shape)
        v = [False] * pad + [a.varies[i] and a.shape[i] > 1 for i in range(len(a.shape))]
        return self.emit(code, shape, a.mag, v, False, ["broadcast_to"], [a])

    def slice(self, a):
        if not a.shape or a.shape[0] < 2:
            return self.broadcast_to(a)
        n = a.shape[0]
        b = self.rng.randrange(0, n - 1)
        e = self.rng.randint(b + 1, n)
        if e - b == n:
            e -= 1
        code = "tl::slice<%d, %d>(%s)" % (b, e, a.code)
        shape = (e - b,) + a.shape[1:]
        return self.emit(code, shape, a.mag, a.varies, a.distinct, ["slice"], [a])

    def concatenate(self, a):
        r = self.rng
        rank = len(a.shape)
        if rank == 0:
            return self.broadcast_to(a)
        axis = r.randrange(rank)
        parts = [a]
        others = [e for e in self.pool if len(e.shape) == rank and e is not a and
                  all(e.shape[i] == a.shape[i] for i in range(rank) if i != axis)]
        count = r.choice([2, 2, 3])
        while len(parts) < count:
            if others and r.random() < 0.5:
                parts.append(r.choice(others))
            else:
                parts.append(self.unary(a))  # a and a function of it: fan-out
        r.shuffle(parts)
        code = "tl::concatenate<%d>(%s)" % (axis, ", ".join(p.code for p in parts))
        shape = list(a.shape)
        shape[axis] = sum(p.shape[axis] for p in parts)
        varies = [any(p.varies[i] for p in parts) for i in range(rank)]
        varies[axis] = True
        return self.emit(code, shape, max(p.mag for p in parts), varies, False, ["concatenate"], parts)

    # -- the graph ------------------------------------------------------------------------
    def build(self, steps):
        r = self.rng
        rank = r.choice([1, 2, 2, 2, 3, 3])
        base = tuple(r.randint(2, 5) if r.random() < 0.85 else 1 for _ in range(rank))
        self.pool.append(self.leaf("param", base))
        kinds = ["unary"] * 4 + ["binary"] * 6 + ["masked"] * 2 + ["reduce"] * 2 + ["matmul"] * 2 + \
            ["transpose", "reshape", "broadcast_to", "slice", "concatenate"]
        for _ in range(steps):
            a = self.pick(lambda e: len(e.shape) <= 3)
            kind = r.choice(kinds)
            getattr(self, kind)(a)
        # The root: the last subexpression, with up to two subexpressions that nothing consumes.
        last = self.pool[-1]
        loose = [e for e in self.pool if e.uses == 0 and e is not last and e.line]
        for e in loose[-2:]:
            s = broadcast(last.shape, e.shape)
            if s is not None and len(s) <= 3:
                e = self.squash(e)
                last = self.emit("%s + %s" % (last.code, e.code), s, last.mag + 4,
                                 [x or y for x, y in zip(aligned_varies(last, len(s)), aligned_varies(e, len(s)))],
                                 False, ["add"], [last, e])
        # Share: some op node must have several consumers (or one consumer using it twice).
        self.root = last
        if not self.has_shared():
            inner = [e for e in self.pool if e.line and id(e) in self.reachable() and e is not last]
            a = inner[len(inner) // 2] if inner else last
            sq = self.emit("tl::mean(%s * %s)" % (a.code, a.code), (), a.mag ** 2, [], False, ["mean", "mul"], [a, a])
            last = self.emit("%s + %s" % (last.code, sq.code), last.shape, last.mag + sq.mag, last.varies, False,
                             ["add"], [last, sq])
        if last.shape and r.random() < 0.5 and self.can_add_leaf():
            w = self.leaf("input", last.shape)
            last = self.emit("tl::sum(%s * %s)" % (last.code, w.code), (), 0, [], False, ["sum", "mul"], [last, w])
        self.root = last

    def has_shared(self):
        seen = self.reachable()
        refs = {}
        for x in self.pool:
            if id(x) in seen:
                for p in x.parents:
                    refs[id(p)] = refs.get(id(p), 0) + 1
        return any(refs.get(id(e), 0) > 1 for e in self.pool if e.line and id(e) in seen)

    def reachable(self):
        seen, stack = set(), [self.root]
        while stack:
            e = stack.pop()
            if id(e) in seen:
                continue
            seen.add(id(e))
            stack.extend(e.parents)
        return seen

    def finish(self):
        """Keeps what the root reaches; False when no param is reached."""
        seen = self.reachable()
        self.lines = [e for e in self.lines if id(e) in seen]
        self.leaves = [e for e in self.leaves if id(e) in seen]
        self.ops = set()
        for e in self.lines:
            self.ops |= e.ops
        self.shared = self.has_shared()
        return any(e.kind == "param" for e in self.leaves)

    def cpp(self):
        out = []
        T = self.dtype
        out.append("void tensor_graph_%d() {" % self.index)
        out.append("  INFO(\"tensor graph %d\");" % self.index)
        for e in self.leaves:
            out.append("  constexpr auto %s = tl::%s<\"%s\", %s, %s>;" % (e.code, e.kind, e.code, shape_code(e.shape), T))
        out.extend(e.line for e in self.lines)
        names = ", ".join(e.code for e in self.leaves)
        out.append("  tt::check_tensors_at_random(%s, %d, -1.5, 1.5, %s);" % (self.root.code, 7919 * self.index + 1,
                                                                             names))
        out.append("}")
        return "\n".join(out)


def factorizations(n, rank):
    if rank == 1:
        return [[n]]
    out = []
    for d in range(1, n + 1):
        if n % d == 0:
            for rest in factorizations(n // d, rank - 1):
                out.append([d] + rest)
    return out


def generate(count, seed, steps):
    rng = random.Random(seed)
    graphs = []
    i = 0
    while len(graphs) < count:
        dtype = "float" if i % 4 == 3 else "double"
        g = Graph(random.Random(rng.getrandbits(64)), len(graphs), dtype)
        g.build(steps)
        i += 1
        if not g.finish():
            continue
        graphs.append(g)
    return graphs


HEADER = """// Generated by gen_tensor_graphs.py (seed {seed}); do not edit. Random tensor graphs {first} to {last}:
// each is evaluated by tapeless (tl::compile with every param in tl::wrt) and by LibTorch from the
// same random data, and the value and every gradient must agree.
// Ops covered in this file: {ops}.
#include <catch2/catch.hpp>

#include <tapeless/tapeless.hpp>

#include "tensor_checks.hpp"

namespace tl = tapeless;
namespace tt = tapeless::testing;

namespace {{
"""


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--graphs", type=int, default=300)
    p.add_argument("--per-file", type=int, default=38)
    p.add_argument("--seed", type=int, default=20261124)
    p.add_argument("--steps", type=int, default=4)
    p.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    args = p.parse_args()
    graphs = generate(args.graphs, args.seed, args.steps)
    covered = set()
    for g in graphs:
        covered |= g.ops
    missing = set(ALL_OPS) - covered
    if missing:
        raise SystemExit("ops not covered: " + " ".join(sorted(missing)))
    shared = sum(1 for g in graphs if g.shared)
    files = []
    for k in range(0, len(graphs), args.per_file):
        chunk = graphs[k:k + args.per_file]
        ops = set()
        for g in chunk:
            ops |= g.ops
        text = HEADER.format(seed=args.seed, first=chunk[0].index, last=chunk[-1].index,
                             ops=" ".join(o for o in ALL_OPS if o in ops))
        text += "\n\n".join(g.cpp() for g in chunk)
        text += "\n\n}  // namespace\n\n"
        for j in range(0, len(chunk), 10):
            part = chunk[j:j + 10]
            text += 'TEST_CASE("tensor graphs %d-%d against LibTorch", "[reference][tensor][random]") {\n' % (
                part[0].index, part[-1].index)
            for g in part:
                text += "  tensor_graph_%d();\n" % g.index
            text += "}\n\n"
        name = "tensor_graphs_%d.cpp" % (k // args.per_file)
        with open(os.path.join(args.out, name), "w") as f:
            f.write(text.rstrip("\n") + "\n")
        files.append(name)
    print("%d graphs in %d files; %d with a shared subexpression; ops: %d of %d" %
          (len(graphs), len(files), shared, len(covered & set(ALL_OPS)), len(ALL_OPS)))


if __name__ == "__main__":
    main()
