#!/usr/bin/python3
"""Writes a C++ program whose scalar graph has exactly N unique nodes (compile-cost benchmark).

Shape (modelled on notes/compile-cost.md, "deep chain with heavy sharing"):
    leaves   x, w, b (params) and c (input)
    h0 = x
    h1 = w * c + b
    h{k+1} = sin(h{k}) * h{k-1} + h{k}        3 new nodes per layer
and then sin / tanh on the head until exactly N unique nodes. Every layer uses h{k} twice and
h{k-1} once, so the expression written out as a tree grows like Fibonacci numbers while the
graph grows by three nodes per layer. No plain numbers appear (a plain number is a positional
node that is never merged), so every repeated subexpression is one node.

The node count is computed here with the same identity rule as tapeless (structural equality)
and checked again in the generated file with tl::graph::node_count_v. The program takes the
gradient with respect to x, w and b at values read at run time, prints it, and checks it and
the value against the same recurrence run in forward mode (dual numbers) in a plain loop.

With --hvp the program instead takes the Hessian-vector product with respect to (x, w, b) along
a fixed direction (tl::hvp, forward over reverse) and checks it against the same recurrence run
forward over forward: the forward-mode gradient on numbers that carry their derivative along the
direction, which is H v exactly (central differences of the gradient lose every digit on deep
graphs, whose derivatives grow like 1e9). This is the compile cost of second order.

Usage: gen_deep.py N OUTPUT.cpp [--hvp]
"""
import sys


def generate(n):
    ids = {}  # structural key -> node id (hash-consing, as tapeless merges equal types)

    def node(key):  # returns the node id; operands are named by id, so keys stay small
        if key not in ids:
            ids[key] = len(ids)
        return ids[key]

    lines = []
    exprs = {}
    x, w, b, c = (node(("leaf", name)) for name in ("x", "w", "b", "c"))
    exprs.update({x: "x", w: "w", b: "b", c: "c"})

    def define(name, key, text):
        lines.append(f"constexpr auto {name} = {text};")
        exprs[key] = name
        return key

    def op(name, *operands):
        return node((name,) + operands)

    h = [define("h0", x, "x")]
    h.append(define("h1", op("add", op("mul", w, c), b), "w * c + b"))

    # Full layers while they fit, then single unary nodes on the head.
    k = 1
    while len(ids) + 3 <= n:
        before = len(ids)
        key = op("add", op("mul", op("sin", h[k]), h[k - 1]), h[k])
        assert len(ids) == before + 3, "a layer must add three unique nodes"
        h.append(define(f"h{k + 1}", key, f"tl::sin(h{k}) * h{k - 1} + h{k}"))
        k += 1
    layers = k - 1
    head = h[-1]
    pads = []
    while len(ids) < n:
        before = len(ids)
        fn = "sin" if len(pads) % 2 == 0 else "tanh"
        key = op(fn, head)
        assert len(ids) == before + 1, "padding must add one unique node"
        head = define(f"p{len(pads)}", key, f"tl::{fn}({exprs[head]})")
        pads.append(fn)
    assert len(ids) == n
    lines.append(f"constexpr auto root = {exprs[head]};")
    return lines, layers, pads


FIRST = """  const auto r = tl::value_and_grad(root, x, w, b).at(x = xv, w = wv, b = bv, c = cv);
  const dual ref = reference(xv, wv, bv, cv);
  double err = rel_err(r.value, ref.v);
  err = std::fmax(err, rel_err(r.grad[x], ref.dx));
  err = std::fmax(err, rel_err(r.grad[w], ref.dw));
  err = std::fmax(err, rel_err(r.grad[b], ref.db));
  std::printf("deep{n} nodes={n} value=%.12g dx=%.12g dw=%.12g db=%.12g rel_err_vs_forward_mode=%.1e\\n",
              r.value, r.grad[x], r.grad[w], r.grad[b], err);
"""

SECOND = """  // H v along (0.5, -0.25, 1) against forward over forward: the forward-mode gradient on numbers
  // that carry their derivative along the direction.
  const double vx = 0.5, vw = -0.25, vb = 1.0;
  const auto r = tl::hvp(root, tl::wrt(x, w, b), vx, vw, vb).at(x = xv, w = wv, b = bv, c = cv);
  const dual_of<directed> ref = reference(directed{{xv, vx}}, directed{{wv, vw}}, directed{{bv, vb}}, directed{{cv, 0}});
  double err = rel_err(r.value, ref.v.v);
  err = std::fmax(err, rel_err(r.grad[0], ref.dx.v));
  err = std::fmax(err, rel_err(r.grad[1], ref.dw.v));
  err = std::fmax(err, rel_err(r.grad[2], ref.db.v));
  err = std::fmax(err, rel_err(r.hvp[0], ref.dx.d));
  err = std::fmax(err, rel_err(r.hvp[1], ref.dw.d));
  err = std::fmax(err, rel_err(r.hvp[2], ref.db.d));
  std::printf("deep{n}_hvp nodes={n} value=%.12g hvp=(%.12g, %.12g, %.12g) rel_err_vs_forward_over_forward=%.1e\\n",
              r.value, r.hvp[0], r.hvp[1], r.hvp[2], err);
"""


def main():
    if len(sys.argv) not in (3, 4) or (len(sys.argv) == 4 and sys.argv[3] != "--hvp"):
        sys.exit(__doc__)
    hvp = len(sys.argv) == 4
    n = int(sys.argv[1])
    if n < 9:
        sys.exit("gen_deep.py: N must be at least 9")
    lines, layers, pads = generate(n)
    body = "\n".join(lines)
    pad_code = "\n".join(f"  h = {fn}(h);" for fn in pads)
    body_main = (SECOND if hvp else FIRST).format(n=n)
    src = f"""// Generated by benchmarks/gen_deep.py {n}: a deep scalar chain with heavy sharing,
// {layers} layers h(k+1) = sin(h(k)) * h(k-1) + h(k), then {len(pads)} unary node(s) on the head.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

namespace {{
constexpr auto x = tl::param<"x">;
constexpr auto w = tl::param<"w">;
constexpr auto b = tl::param<"b">;
constexpr auto c = tl::input<"c">;
{body}

// A number and its derivative along one direction (forward over forward gives H v exactly).
struct directed {{
  directed(double value, double tangent = 0) : v(value), d(tangent) {{}}  // NOLINT: numbers are constants
  double v, d;
}};
[[maybe_unused]] directed operator+(directed a, directed b) {{ return {{a.v + b.v, a.d + b.d}}; }}
[[maybe_unused]] directed operator-(directed a, directed b) {{ return {{a.v - b.v, a.d - b.d}}; }}
[[maybe_unused]] directed operator*(directed a, directed b) {{ return {{a.v * b.v, a.d * b.v + a.v * b.d}}; }}
[[maybe_unused]] directed sin(directed a) {{ return {{std::sin(a.v), std::cos(a.v) * a.d}}; }}
[[maybe_unused]] directed cos(directed a) {{ return {{std::cos(a.v), -std::sin(a.v) * a.d}}; }}
[[maybe_unused]] directed tanh(directed a) {{
  const double t = std::tanh(a.v);
  return {{t, (1 - t * t) * a.d}};
}}
using std::cos;
using std::sin;
using std::tanh;

// The same recurrence in forward mode: a value and its derivatives with respect to x, w, b.
template <class S>
struct dual_of {{
  S v, dx, dw, db;
}};
using dual = dual_of<double>;
template <class S>
dual_of<S> operator+(dual_of<S> a, dual_of<S> b) {{ return {{a.v + b.v, a.dx + b.dx, a.dw + b.dw, a.db + b.db}}; }}
template <class S>
dual_of<S> operator*(dual_of<S> a, dual_of<S> b) {{
  return {{a.v * b.v, a.dx * b.v + a.v * b.dx, a.dw * b.v + a.v * b.dw, a.db * b.v + a.v * b.db}};
}}
template <class S>
dual_of<S> chain(dual_of<S> a, S v, S d) {{ return {{v, d * a.dx, d * a.dw, d * a.db}}; }}
template <class S>
dual_of<S> sin(dual_of<S> a) {{ return chain(a, sin(a.v), cos(a.v)); }}
template <class S>
dual_of<S> tanh(dual_of<S> a) {{
  const S t = tanh(a.v);
  return chain(a, t, S{{1}} - t * t);
}}

template <class S>
dual_of<S> reference(S xv, S wv, S bv, S cv) {{
  const S zero{{0}}, one{{1}};
  dual_of<S> prev{{xv, one, zero, zero}};
  dual_of<S> h = dual_of<S>{{wv, zero, one, zero}} * dual_of<S>{{cv, zero, zero, zero}} + dual_of<S>{{bv, zero, zero, one}};
  for (int k = 0; k < {layers}; ++k) {{
    const dual_of<S> next = sin(h) * prev + h;
    prev = h;
    h = next;
  }}
{pad_code}
  return h;
}}

double rel_err(double a, double b) {{ return std::fabs(a - b) / (1e-300 + std::fabs(a) + std::fabs(b)); }}
}}  // namespace

static_assert(tl::graph::node_count_v<decltype(root)> == {n}, "deep{n}: unexpected number of unique nodes");

int main(int argc, char** argv) {{
  // Values read at run time, so the generated forward and backward code runs in main.
  const double xv = argc > 1 ? std::atof(argv[1]) : 0.3;
  const double wv = argc > 2 ? std::atof(argv[2]) : 0.7;
  const double bv = argc > 3 ? std::atof(argv[3]) : -0.2;
  const double cv = argc > 4 ? std::atof(argv[4]) : 1.1;
{body_main}
  return err < 1e-9 ? 0 : 1;
}}
"""
    with open(sys.argv[2], "w") as f:
        f.write(src)


if __name__ == "__main__":
    main()
