// Random graphs 40 to 79 (seeds 1040 to 1079).
#include <catch2/catch.hpp>

#include "random_graphs.hpp"

TEST_CASE("random graphs 40-79 against LibTorch and finite differences", "[reference][random]") {
  tapeless::testing::check_random_graphs<double, 1040, 40>();
}
