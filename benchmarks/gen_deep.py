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
a fixed direction (tl::hvp, forward over reverse) and checks it against central differences of
the forward-mode gradient (the compile cost of second order).

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

SECOND = """  // H v along (0.5, -0.25, 1) against central differences of the forward-mode gradient.
  const double vx = 0.5, vw = -0.25, vb = 1.0, e = 1e-5;
  const auto r = tl::hvp(root, tl::wrt(x, w, b), vx, vw, vb).at(x = xv, w = wv, b = bv, c = cv);
  const dual hi = reference(xv + e * vx, wv + e * vw, bv + e * vb, cv);
  const dual lo = reference(xv - e * vx, wv - e * vw, bv - e * vb, cv);
  const dual ref = reference(xv, wv, bv, cv);
  double err = rel_err(r.value, ref.v);
  err = std::fmax(err, rel_err(r.grad[0], ref.dx));
  const double hx = (hi.dx - lo.dx) / (2 * e), hw = (hi.dw - lo.dw) / (2 * e), hb = (hi.db - lo.db) / (2 * e);
  double fd_err = rel_err(r.hvp[0], hx);
  fd_err = std::fmax(fd_err, rel_err(r.hvp[1], hw));
  fd_err = std::fmax(fd_err, rel_err(r.hvp[2], hb));
  std::printf("deep{n}_hvp nodes={n} value=%.12g hvp=(%.12g, %.12g, %.12g) rel_err_vs_differences=%.1e\\n",
              r.value, r.hvp[0], r.hvp[1], r.hvp[2], fd_err);
  // Central differences agree to about 1e-9 here; 1e-6 is allowed (err below must stay under 1e-9).
  err = std::fmax(err, fd_err * 1e-3);
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

// The same recurrence in forward mode: a value and its derivatives with respect to x, w, b.
struct dual {{
  double v, dx, dw, db;
}};
dual operator+(dual a, dual b) {{ return {{a.v + b.v, a.dx + b.dx, a.dw + b.dw, a.db + b.db}}; }}
dual operator*(dual a, dual b) {{
  return {{a.v * b.v, a.dx * b.v + a.v * b.dx, a.dw * b.v + a.v * b.dw, a.db * b.v + a.v * b.db}};
}}
dual chain(dual a, double v, double d) {{ return {{v, d * a.dx, d * a.dw, d * a.db}}; }}
[[maybe_unused]] dual sin(dual a) {{ return chain(a, std::sin(a.v), std::cos(a.v)); }}
[[maybe_unused]] dual tanh(dual a) {{
  const double t = std::tanh(a.v);
  return chain(a, t, 1 - t * t);
}}

dual reference(double xv, double wv, double bv, double cv) {{
  dual prev{{xv, 1, 0, 0}};
  dual h = dual{{wv, 0, 1, 0}} * dual{{cv, 0, 0, 0}} + dual{{bv, 0, 0, 1}};
  for (int k = 0; k < {layers}; ++k) {{
    const dual next = sin(h) * prev + h;
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
