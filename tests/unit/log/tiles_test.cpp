// log/tiles: the C2SP tlog-tiles layout (paths, which tiles a tree size
// has, the spec's own examples), tile bytes and hashes against the Merkle
// tree, and entry bundle encoding.
#include <string>
#include <vector>

#include "catch.h"
#include "log/merkle.h"
#include "log/tiles.h"

using namespace sspf;
using namespace sspf::internal;

namespace {

Hash LeafOf(uint64_t i) {
  const std::string s = "leaf " + std::to_string(i);
  return LeafHash(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

}  // namespace

TEST_CASE("tile index paths use groups of three digits", "[log][tiles]") {
  CHECK(TileIndexPath(0) == "000");
  CHECK(TileIndexPath(7) == "007");
  CHECK(TileIndexPath(999) == "999");
  CHECK(TileIndexPath(1000) == "x001/000");
  CHECK(TileIndexPath(1234067) == "x001/x234/067");  // the spec's example
  CHECK(TileIndexPath(1000000) == "x001/x000/000");
  CHECK(TileIndexPath(UINT64_MAX) == "x018/x446/x744/x073/x709/x551/615");
  CHECK(HashTilePath(0, 0, 256) == "tile/0/000");
  CHECK(HashTilePath(0, 0, 25) == "tile/0/000.p/25");
  CHECK(HashTilePath(2, 1234067, 1) == "tile/2/x001/x234/067.p/1");
  CHECK(HashTilePath(1, 1000, 255) == "tile/1/x001/000.p/255");
  CHECK(EntryBundlePath(0, 256) == "tile/entries/000");
  CHECK(EntryBundlePath(273, 112) == "tile/entries/273.p/112");
}

TEST_CASE("the tiles of a tree size, as the spec lists them", "[log][tiles]") {
  CHECK(HashTilesFor(0).empty());
  CHECK(EntryBundlesFor(0).empty());
  CHECK(HashTilesFor(1) == std::vector<TileId>{{0, 0, 1}});
  CHECK(HashTilesFor(255) == std::vector<TileId>{{0, 0, 255}});
  // "a tree of size 256 will be represented by a full level 0 tile and a
  // partial level 1 tile of width 1"
  CHECK(HashTilesFor(256) == std::vector<TileId>{{0, 0, 256}, {1, 0, 1}});
  CHECK(HashTilesFor(257) == std::vector<TileId>{{0, 0, 256}, {0, 1, 1}, {1, 0, 1}});
  CHECK(EntryBundlesFor(257) == std::vector<TileId>{{0, 0, 256}, {0, 1, 1}});
  // "a tree of size 70,000 will be represented by 273 full level 0 tiles,
  // one partial level 0 tile of width 112, one full level 1 tile, one
  // partial level 1 tile of width 17, and one partial level 2 tile of
  // width 1"
  const std::vector<TileId> t = HashTilesFor(70000);
  REQUIRE(t.size() == 273 + 1 + 1 + 1 + 1);
  for (size_t i = 0; i < 273; ++i) CHECK(t[i] == TileId{0, i, 256});
  CHECK(t[273] == TileId{0, 273, 112});
  CHECK(t[274] == TileId{1, 0, 256});
  CHECK(t[275] == TileId{1, 1, 17});
  CHECK(t[276] == TileId{2, 0, 1});
}

TEST_CASE("a full tile's hash is the Merkle level 8 node above it", "[log][tiles]") {
  MemoryTree tree;
  std::vector<Hash> first, second;
  for (uint64_t i = 0; i < 600; ++i) {
    tree.Append(LeafOf(i));
    if (i < 256) first.push_back(LeafOf(i));
    else if (i < 512) second.push_back(LeafOf(i));
  }
  CHECK(TileHash(first) == tree.Subtree(8, 0).value());
  CHECK(TileHash(second) == tree.Subtree(8, 1).value());
  CHECK(TileHash({first[0]}) == first[0]);
  CHECK(TileHash({first[0], first[1]}) == NodeHash(first[0], first[1]));
  // A changed hash changes the tile's hash.
  first[17][3] ^= 1;
  CHECK(TileHash(first) != tree.Subtree(8, 0).value());
  const std::string bytes = TileBytes(second);
  REQUIRE(bytes.size() == 256 * 32);
  CHECK(bytes.compare(32 * 5, 32, reinterpret_cast<const char*>(second[5].data()), 32) == 0);
}

TEST_CASE("entry bundles are big-endian uint16 length-prefixed", "[log][tiles]") {
  std::string bundle;
  const uint8_t a[] = {'a', 'b', 'c'};
  REQUIRE(AppendBundleEntry(a, 3, &bundle).ok());
  REQUIRE(AppendBundleEntry(nullptr, 0, &bundle).ok());
  std::vector<uint8_t> big(0x1234, 0x5a);
  REQUIRE(AppendBundleEntry(big.data(), big.size(), &bundle).ok());
  REQUIRE(bundle.size() == 2 + 3 + 2 + 2 + 0x1234);
  CHECK(bundle.substr(0, 5) == std::string("\x00\x03" "abc", 5));
  CHECK(bundle.substr(5, 2) == std::string("\x00\x00", 2));
  CHECK(bundle.substr(7, 2) == "\x12\x34");
  std::vector<uint8_t> max(0xffff, 1);
  CHECK(AppendBundleEntry(max.data(), max.size(), &bundle).ok());
  std::vector<uint8_t> over(0x10000, 1);
  const size_t before = bundle.size();
  Status s = AppendBundleEntry(over.data(), over.size(), &bundle);
  CHECK(s.code() == StatusCode::kFailedPrecondition);
  CHECK(bundle.size() == before);
}
