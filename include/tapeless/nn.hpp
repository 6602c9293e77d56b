#pragma once
// tapeless's training layer in PyTorch's vocabulary: layers, a module owning parameters and
// their .grad, losses, optimizers and schedules, a seeded generator, data loading. Everything
// here builds on the core (tapeless.hpp): a network is an expression, compiled once.
#include "tapeless.hpp"
#include "nn/compile.hpp"
#include "nn/data.hpp"
#include "nn/layers.hpp"
#include "nn/losses.hpp"
#include "nn/module.hpp"
#include "nn/optim.hpp"
#include "nn/random.hpp"
#include "nn/serialize.hpp"
