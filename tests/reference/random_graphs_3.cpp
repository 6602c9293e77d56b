// Random graphs in float32 (seeds 2000 to 2029).
#include <catch2/catch.hpp>

#include "random_graphs.hpp"

TEST_CASE("random float32 graphs 0-29 against LibTorch and finite differences", "[reference][random]") {
  tapeless::testing::check_random_graphs<float, 2000, 30>();
}
