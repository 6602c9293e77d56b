// tapeless::nn::save and nn::load: exact round trips in float and double; the file's bytes
// parsed by hand against the documented format (with FNV-1a 64 written out here); and every
// error case, each of which must throw nn::serialization_error with a message that names the
// problem and leave the module's values and gradients as they were.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <tapeless/nn.hpp>
#include <type_traits>
#include <unistd.h>
#include <vector>
#include <xtensor/xtensor.hpp>

namespace tl = tapeless;
namespace nn = tapeless::nn;
using Catch::Matchers::Contains;

namespace {

// SimpleNet, in float32 and float64, and variants that differ in names or extents.
constexpr auto fc1 = nn::linear<"fc1", 4, 8>;
constexpr auto fc2 = nn::linear<"fc2", 8, 1>;
constexpr auto simple_net = nn::sequential(fc1, nn::relu, fc2);
constexpr auto double_fc1 = nn::linear<"fc1", 4, 8, double>;
constexpr auto double_fc2 = nn::linear<"fc2", 8, 1, double>;
constexpr auto double_net = nn::sequential(double_fc1, nn::relu, double_fc2);
constexpr auto renamed_net = nn::sequential(nn::linear<"a", 4, 8>, nn::relu, nn::linear<"b", 8, 1>);
constexpr auto wider_net = nn::sequential(nn::linear<"fc1", 4, 9>, nn::relu, nn::linear<"fc2", 9, 1>);
constexpr auto two_outputs_net = nn::sequential(nn::linear<"fc1", 4, 8>, nn::relu, nn::linear<"fc2", 8, 2>);
constexpr auto first_layer_only = nn::linear<"fc1", 4, 8>;

/// A file in the temporary directory, removed at the end of the test. The process id keeps
/// test cases run in parallel apart.
class temp_file {
 public:
  explicit temp_file(const std::string& name)
      : path_((std::filesystem::temp_directory_path() /
               ("tapeless_nn_serialize_" + std::to_string(::getpid()) + "_" + name + ".bin"))
                  .string()) {
    std::filesystem::remove(path_);
  }
  ~temp_file() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::vector<char> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::string& path, const std::vector<char>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  REQUIRE(out);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

/// FNV-1a, 64 bits: offset basis 14695981039346656037, prime 1099511628211.
std::uint64_t fnv1a64(const char* data, std::size_t n) {
  std::uint64_t hash = 14695981039346656037ull;
  for (std::size_t i = 0; i < n; ++i) {
    hash ^= static_cast<unsigned char>(data[i]);
    hash *= 1099511628211ull;
  }
  return hash;
}

template <class T>
T read_at(const std::vector<char>& bytes, std::size_t offset) {
  REQUIRE(offset + sizeof(T) <= bytes.size());
  T v{};
  std::memcpy(&v, bytes.data() + offset, sizeof(T));
  return v;
}

template <class T>
void write_at(std::vector<char>& bytes, std::size_t offset, T v) {
  REQUIRE(offset + sizeof(T) <= bytes.size());
  std::memcpy(bytes.data() + offset, &v, sizeof(T));
}

/// The bytes before the checksum, with a correct checksum appended.
std::vector<char> with_checksum(std::vector<char> body) {
  const std::uint64_t sum = fnv1a64(body.data(), body.size());
  const char* p = reinterpret_cast<const char*>(&sum);
  body.insert(body.end(), p, p + sizeof sum);
  return body;
}

std::vector<char> body_of(const std::vector<char>& file) { return {file.begin(), file.end() - 8}; }

/// Same shape and the same elements.
template <class A, class B>
bool same_values(const A& a, const B& b) {
  if (a.shape() != b.shape()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a.data()[i] != b.data()[i]) return false;
  return true;
}

/// Every value and gradient of the module, in declaration order, as doubles.
template <class M>
std::vector<double> state_of(const M& m) {
  std::vector<double> s;
  m.for_each_parameter([&](const auto& p) {
    for (auto v : p.value) s.push_back(static_cast<double>(v));
    for (auto g : p.grad) s.push_back(static_cast<double>(g));
  });
  return s;
}

/// Gives every gradient a distinct value, so that a load that touched them would show.
template <class M>
void set_grads(M& m) {
  double next = 0.125;
  m.for_each_parameter([&](auto& p) {
    for (auto& g : p.grad) {
      g = static_cast<std::remove_cvref_t<decltype(g)>>(next);
      next += 0.25;
    }
  });
}

/// load() must throw serialization_error whose message contains the path and `expected`, and
/// leave the module's values and gradients exactly as they were.
template <class M>
void check_load_fails(M& model, const std::string& path, const std::string& expected) {
  const auto before = state_of(model);
  std::string message = "no exception";
  try {
    nn::load(model, path);
  } catch (const nn::serialization_error& e) {
    message = e.what();
  }
  INFO("message: " << message);
  CHECK_THAT(message, Contains(path));
  CHECK_THAT(message, Contains(expected));
  CHECK(state_of(model) == before);
}

}  // namespace

TEST_CASE("serialize: the test's FNV-1a 64 matches the published test vectors", "[nn][serialize]") {
  CHECK(fnv1a64("", 0) == 0xcbf29ce484222325ull);
  CHECK(fnv1a64("a", 1) == 0xaf63dc4c8601ec8cull);
  CHECK(fnv1a64("foobar", 6) == 0x85944171f73967e8ull);
}

TEST_CASE("serialize: save then load restores float values exactly and leaves gradients alone", "[nn][serialize]") {
  temp_file file("float_round_trip");
  nn::generator gen(1);
  nn::module saved(simple_net, gen);
  nn::save(saved, file.path());

  nn::generator other(2);
  nn::module loaded(simple_net, other);
  REQUIRE_FALSE(same_values(loaded.value(fc1.weight), saved.value(fc1.weight)));
  set_grads(loaded);
  std::vector<double> grads;
  loaded.for_each_parameter([&](const auto& p) { grads.insert(grads.end(), p.grad.begin(), p.grad.end()); });

  nn::load(loaded, file.path());
  CHECK(same_values(loaded.value(fc1.weight), saved.value(fc1.weight)));
  CHECK(same_values(loaded.value(fc1.bias), saved.value(fc1.bias)));
  CHECK(same_values(loaded.value(fc2.weight), saved.value(fc2.weight)));
  CHECK(same_values(loaded.value(fc2.bias), saved.value(fc2.bias)));
  std::vector<double> grads_after;
  loaded.for_each_parameter([&](const auto& p) { grads_after.insert(grads_after.end(), p.grad.begin(), p.grad.end()); });
  CHECK(grads_after == grads);
}

TEST_CASE("serialize: load restores values that were changed after saving", "[nn][serialize]") {
  temp_file file("restore");
  nn::generator gen(3);
  nn::module model(simple_net, gen);
  // Values no uniform draw gives, bit patterns included: a negative zero, a subnormal, extremes.
  model.value(fc1.weight)(0, 0) = -0.0f;
  model.value(fc1.weight)(0, 1) = 1e-40f;
  model.value(fc1.weight)(0, 2) = 3.4e38f;
  model.value(fc2.bias)(0) = -1.0f / 3.0f;
  const xt::xtensor<float, 2> w1 = model.value(fc1.weight);
  const xt::xtensor<float, 1> b1 = model.value(fc1.bias);
  const xt::xtensor<float, 2> w2 = model.value(fc2.weight);
  const xt::xtensor<float, 1> b2 = model.value(fc2.bias);
  nn::save(model, file.path());

  model.value(fc1.weight).fill(7.0f);
  model.value(fc1.bias).fill(-7.0f);
  model.value(fc2.weight)(0, 3) += 1.0f;
  model.value(fc2.bias)(0) = 0.0f;
  nn::load(model, file.path());
  CHECK(same_values(model.value(fc1.weight), w1));
  CHECK(same_values(model.value(fc1.bias), b1));
  CHECK(same_values(model.value(fc2.weight), w2));
  CHECK(same_values(model.value(fc2.bias), b2));
  CHECK(std::signbit(model.value(fc1.weight)(0, 0)));
  CHECK(model.value(fc1.weight)(0, 1) == 1e-40f);
}

TEST_CASE("serialize: double modules round trip exactly", "[nn][serialize]") {
  temp_file file("double_round_trip");
  nn::generator gen(4);
  nn::module saved(double_net, gen);
  saved.value(double_fc2.bias)(0) = 0.1;  // not representable in float: a float round trip would show
  nn::save(saved, file.path());
  nn::generator other(5);
  nn::module loaded(double_net, other);
  nn::load(loaded, file.path());
  CHECK(same_values(loaded.value(double_fc1.weight), saved.value(double_fc1.weight)));
  CHECK(same_values(loaded.value(double_fc1.bias), saved.value(double_fc1.bias)));
  CHECK(same_values(loaded.value(double_fc2.weight), saved.value(double_fc2.weight)));
  CHECK(loaded.value(double_fc2.bias)(0) == 0.1);
  // Double precision survives: some value has bits that a float cannot hold.
  bool beyond_float = false;
  for (double v : loaded.value(double_fc1.weight)) beyond_float |= static_cast<double>(static_cast<float>(v)) != v;
  CHECK(beyond_float);
}

TEST_CASE("serialize: the file's bytes follow the documented format", "[nn][serialize]") {
  temp_file file("format");
  nn::generator gen(6);
  nn::module model(simple_net, gen);
  nn::save(model, file.path());
  const auto bytes = read_bytes(file.path());

  // 16 bytes of header; per parameter 4 + name + 1 + 1 + 8·rank + 4·count; 8 of checksum.
  const std::size_t expected_size = 16 + (4 + 10 + 2 + 16 + 4 * 32) + (4 + 8 + 2 + 8 + 4 * 8) +
                                    (4 + 10 + 2 + 16 + 4 * 8) + (4 + 8 + 2 + 8 + 4 * 1) + 8;
  REQUIRE(expected_size == 328);
  REQUIRE(bytes.size() == expected_size);
  CHECK(std::string(bytes.data(), 8) == "TLPARAMS");
  CHECK(read_at<std::uint32_t>(bytes, 8) == 1);   // version
  CHECK(read_at<std::uint32_t>(bytes, 12) == 4);  // parameter count

  std::size_t pos = 16;
  const auto check_entry = [&](const std::string& name, const std::vector<std::uint64_t>& extents, const auto& value) {
    INFO(name);
    CHECK(read_at<std::uint32_t>(bytes, pos) == name.size());
    pos += 4;
    CHECK(std::string(bytes.data() + pos, name.size()) == name);
    pos += name.size();
    CHECK(read_at<std::uint8_t>(bytes, pos) == 1);  // float32
    pos += 1;
    CHECK(read_at<std::uint8_t>(bytes, pos) == extents.size());
    pos += 1;
    for (std::uint64_t e : extents) {
      CHECK(read_at<std::uint64_t>(bytes, pos) == e);
      pos += 8;
    }
    for (float v : value) {  // row-major
      CHECK(read_at<float>(bytes, pos) == v);
      pos += 4;
    }
  };
  check_entry("fc1.weight", {8, 4}, model.value(fc1.weight));
  check_entry("fc1.bias", {8}, model.value(fc1.bias));
  check_entry("fc2.weight", {1, 8}, model.value(fc2.weight));
  check_entry("fc2.bias", {1}, model.value(fc2.bias));
  CHECK(pos == bytes.size() - 8);
  // Row-major: the second float of fc1.weight's data is element (0, 1).
  CHECK(read_at<float>(bytes, 16 + 4 + 10 + 2 + 16 + 4) == model.value(fc1.weight)(0, 1));
  CHECK(read_at<std::uint64_t>(bytes, bytes.size() - 8) == fnv1a64(bytes.data(), bytes.size() - 8));

  // A double module writes dtype 2 and 8-byte elements.
  temp_file double_file("format_double");
  nn::module doubles(double_net, gen);
  nn::save(doubles, double_file.path());
  const auto double_bytes = read_bytes(double_file.path());
  CHECK(double_bytes.size() == expected_size + 4 * (32 + 8 + 8 + 1));
  CHECK(read_at<std::uint8_t>(double_bytes, 16 + 4 + 10) == 2);
  CHECK(read_at<double>(double_bytes, 16 + 4 + 10 + 2 + 16) == doubles.value(double_fc1.weight)(0, 0));
}

TEST_CASE("serialize: a missing file or an unwritable path throws", "[nn][serialize][errors]") {
  nn::generator gen(7);
  nn::module model(simple_net, gen);
  set_grads(model);
  temp_file missing("does_not_exist");
  check_load_fails(model, missing.path(), "cannot open");

  const std::string no_directory = missing.path() + ".d/inside.bin";
  std::string message;
  try {
    nn::save(model, no_directory);
  } catch (const nn::serialization_error& e) {
    message = e.what();
  }
  CHECK_THAT(message, Contains("cannot open " + no_directory + " for writing"));
}

TEST_CASE("serialize: a file without the TLPARAMS magic is not a tapeless file", "[nn][serialize][errors]") {
  temp_file file("magic");
  nn::generator gen(8);
  nn::module model(simple_net, gen);
  set_grads(model);
  nn::save(model, file.path());
  auto bytes = read_bytes(file.path());
  model.value(fc1.weight).fill(0.5f);  // differs from the file: a load would show

  bytes[1] = 'X';  // "TXPARAMS"
  write_bytes(file.path(), bytes);
  check_load_fails(model, file.path(), "not a tapeless parameter file");

  write_bytes(file.path(), {'T', 'L', 'P'});  // shorter than the magic
  check_load_fails(model, file.path(), "not a tapeless parameter file");
  write_bytes(file.path(), {});
  check_load_fails(model, file.path(), "not a tapeless parameter file");
}

TEST_CASE("serialize: a truncated file throws at every cut", "[nn][serialize][errors]") {
  temp_file file("truncated");
  nn::generator gen(9);
  nn::module model(simple_net, gen);
  nn::save(model, file.path());
  const auto bytes = read_bytes(file.path());
  nn::generator other(10);
  nn::module target(simple_net, other);
  set_grads(target);

  // Cut inside the fixed header: too short to hold header and checksum.
  for (std::size_t cut : {8, 12, 16, 23}) {
    INFO("cut at " << cut);
    write_bytes(file.path(), {bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(cut)});
    check_load_fails(target, file.path(), "truncated");
  }
  // Cut anywhere later: the last 8 bytes are then not the checksum of the others.
  for (std::size_t cut : {24, 30, 100, 200, 327, 320}) {
    INFO("cut at " << cut);
    write_bytes(file.path(), {bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(cut)});
    check_load_fails(target, file.path(), "checksum mismatch");
  }
}

TEST_CASE("serialize: a body cut short under a valid checksum names the field it ends in", "[nn][serialize][errors]") {
  temp_file file("short_body");
  nn::generator gen(11);
  nn::module model(simple_net, gen);
  nn::save(model, file.path());
  const auto body = body_of(read_bytes(file.path()));
  nn::generator other(12);
  nn::module target(simple_net, other);
  set_grads(target);

  // Offsets into the first entry, which starts at 16: name length 16..20, name 20..30, dtype 30,
  // rank 31, extents 32..48, data 48..176.
  const std::vector<std::pair<std::size_t, std::string>> cuts = {
      {16, "ends inside a parameter name"}, {18, "ends inside a parameter name"},
      {25, "ends inside a parameter name"}, {30, "ends inside a dtype"},
      {31, "ends inside a rank"},           {40, "ends inside the extents"},
      {48, "ends inside parameter data"},   {175, "ends inside parameter data"},
      {body.size() - 1, "ends inside parameter data"}};
  for (const auto& [cut, expected] : cuts) {
    INFO("cut at " << cut);
    write_bytes(file.path(), with_checksum({body.begin(), body.begin() + static_cast<std::ptrdiff_t>(cut)}));
    check_load_fails(target, file.path(), expected);
  }

  // The reverse: extra bytes after the last parameter, under a valid checksum.
  auto longer = body;
  longer.push_back('\0');
  write_bytes(file.path(), with_checksum(longer));
  check_load_fails(target, file.path(), "unexpected bytes after the last parameter");
}

TEST_CASE("serialize: a flipped byte fails the checksum", "[nn][serialize][errors]") {
  temp_file file("flipped");
  nn::generator gen(13);
  nn::module model(simple_net, gen);
  nn::save(model, file.path());
  const auto bytes = read_bytes(file.path());
  nn::generator other(14);
  nn::module target(simple_net, other);
  set_grads(target);
  // In the data of fc1.weight, of fc2.bias, in a name, and in the checksum itself.
  for (std::size_t at : {std::size_t{60}, bytes.size() - 9, std::size_t{22}, bytes.size() - 3}) {
    INFO("byte " << at);
    auto corrupt = bytes;
    corrupt[at] = static_cast<char>(corrupt[at] ^ 0x10);
    write_bytes(file.path(), corrupt);
    check_load_fails(target, file.path(), "checksum mismatch: the file is truncated or corrupt");
  }
}

TEST_CASE("serialize: another format version is refused by the version check", "[nn][serialize][errors]") {
  temp_file file("version");
  nn::generator gen(15);
  nn::module model(simple_net, gen);
  nn::save(model, file.path());
  auto body = body_of(read_bytes(file.path()));
  write_at<std::uint32_t>(body, 8, 2);
  write_bytes(file.path(), with_checksum(body));  // a consistent file of version 2
  nn::generator other(16);
  nn::module target(simple_net, other);
  set_grads(target);
  check_load_fails(target, file.path(), "format version 2, but this build reads version 1");
}

TEST_CASE("serialize: a file of another network is refused", "[nn][serialize][errors]") {
  temp_file file("other_network");
  nn::generator gen(17);
  nn::module model(simple_net, gen);
  nn::save(model, file.path());

  SECTION("other names") {
    nn::module renamed(renamed_net, gen);
    set_grads(renamed);
    check_load_fails(renamed, file.path(), "parameter 0 is \"fc1.weight\" in the file, but \"a.weight\" in the model");
  }
  SECTION("same names, other extents in the first parameter") {
    nn::module wider(wider_net, gen);
    set_grads(wider);
    check_load_fails(wider, file.path(), "parameter \"fc1.weight\" has extents [8, 4] in the file, but [9, 4] in the model");
  }
  SECTION("other extents in a later parameter: the earlier ones, which match, are not loaded either") {
    nn::module two(two_outputs_net, gen);
    set_grads(two);
    check_load_fails(two, file.path(), "parameter \"fc2.weight\" has extents [1, 8] in the file, but [2, 8] in the model");
  }
  SECTION("another number of parameters") {
    nn::module first(first_layer_only, gen);
    set_grads(first);
    check_load_fails(first, file.path(), "the file holds 4 parameters, the model has 2");
  }
  SECTION("float32 file, float64 model") {
    nn::module doubles(double_net, gen);
    set_grads(doubles);
    check_load_fails(doubles, file.path(), "parameter \"fc1.weight\" is float32 in the file, but float64 in the model");
  }
  SECTION("float64 file, float32 model") {
    temp_file double_file("double_into_float");
    nn::module doubles(double_net, gen);
    nn::save(doubles, double_file.path());
    set_grads(model);
    check_load_fails(model, double_file.path(), "parameter \"fc1.weight\" is float64 in the file, but float32 in the model");
  }
}
