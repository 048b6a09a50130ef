// The access log as C2SP tlog-tiles (https://c2sp.org/tlog-tiles): the
// layout of hash tiles and entry bundles for a tree size, their paths, and
// the bytes of one tile or bundle.  Pure functions; writing them to a
// directory is audit/tiles.cpp.  Layout and the mapping to the stored tree
// in docs/audit-log-format.md ("Tiles export").
//
// A tile at level L, index N holds the hashes of the complete subtrees at
// Merkle level 8L with indices N*256 .. N*256+W-1 (W = 256 for a full
// tile): exactly rows (8L, idx) of the tree_nodes table.
#ifndef SSPF_SRC_LOG_TILES_H_
#define SSPF_SRC_LOG_TILES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "log/merkle.h"
#include "sspf/status.h"

namespace sspf::internal {

inline constexpr uint32_t kTileHeight = 8;
inline constexpr uint32_t kTileWidth = 256;  // 2^kTileHeight
// An entry bundle's length prefix is a big-endian uint16.
inline constexpr size_t kMaxBundleEntry = 0xffff;

// "x001/x234/067" for 1234067: groups of three zero-padded digits, all but
// the last prefixed with 'x' ("000" for 0).
std::string TileIndexPath(uint64_t index);

// "tile/<level>/<index path>" and, for a partial tile (0 < width < 256),
// ".p/<width>"; width 256 is a full tile.  REQUIRES: 0 < width <= 256.
std::string HashTilePath(uint32_t level, uint64_t index, uint32_t width);
// "tile/entries/<index path>[.p/<width>]".  REQUIRES: 0 < width <= 256.
std::string EntryBundlePath(uint64_t index, uint32_t width);

// One tile (or bundle) of the layout: level (unused for bundles), index
// and width (1..256).
struct TileId {
  uint32_t level = 0;
  uint64_t index = 0;
  uint32_t width = 0;

  bool operator==(const TileId& o) const {
    return level == o.level && index == o.index && width == o.width;
  }
};

// Every hash tile of the tree of `size` leaves, level by level, index
// order: floor(size / 256^(L+1)) full tiles at level L and one partial
// tile of width floor(size / 256^L) mod 256 when that is not 0.  Empty
// for size 0.
std::vector<TileId> HashTilesFor(uint64_t size);
// The entry bundles (level 0): floor(size / 256) full, one partial of
// width size mod 256 when not 0.
std::vector<TileId> EntryBundlesFor(uint64_t size);

// Merkle Tree Hash of up to 256 consecutive hashes taken as leaves' hashes
// (RFC 6962 MTH over already-hashed leaves): the hash a full tile stands
// for in the level above.  REQUIRES: 0 < hashes.size() <= 256.
Hash TileHash(const std::vector<Hash>& hashes);

// The concatenated hashes (32 bytes each), as a tile file holds them.
std::string TileBytes(const std::vector<Hash>& hashes);

// Appends one length-prefixed entry to an entry bundle.  kFailedPrecondition
// when the entry is longer than 65535 bytes (the bundle format's limit).
Status AppendBundleEntry(const uint8_t* data, size_t size, std::string* bundle);

}  // namespace sspf::internal

#endif  // SSPF_SRC_LOG_TILES_H_
