#include "log/tiles.h"

#include <cstdio>

namespace sspf::internal {

std::string TileIndexPath(uint64_t index) {
  // At most 20 digits: 7 groups.
  std::vector<unsigned> groups;
  do {
    groups.push_back(static_cast<unsigned>(index % 1000));
    index /= 1000;
  } while (index > 0);
  std::string out;
  for (size_t i = groups.size(); i-- > 0;) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%s%03u", i == 0 ? "" : "x", groups[i]);
    out += buf;
    if (i != 0) out += '/';
  }
  return out;
}

namespace {

std::string WidthSuffix(uint32_t width) {
  return width >= kTileWidth ? std::string() : ".p/" + std::to_string(width);
}

void AddLevel(uint32_t level, uint64_t count, std::vector<TileId>* out) {
  for (uint64_t n = 0; n < count / kTileWidth; ++n) out->push_back({level, n, kTileWidth});
  const uint32_t partial = static_cast<uint32_t>(count % kTileWidth);
  if (partial != 0) out->push_back({level, count / kTileWidth, partial});
}

}  // namespace

std::string HashTilePath(uint32_t level, uint64_t index, uint32_t width) {
  return "tile/" + std::to_string(level) + "/" + TileIndexPath(index) + WidthSuffix(width);
}

std::string EntryBundlePath(uint64_t index, uint32_t width) {
  return "tile/entries/" + TileIndexPath(index) + WidthSuffix(width);
}

std::vector<TileId> HashTilesFor(uint64_t size) {
  std::vector<TileId> out;
  for (uint32_t level = 0; level * kTileHeight < 64 && (size >> (level * kTileHeight)) > 0;
       ++level) {
    AddLevel(level, size >> (level * kTileHeight), &out);
  }
  return out;
}

std::vector<TileId> EntryBundlesFor(uint64_t size) {
  std::vector<TileId> out;
  AddLevel(0, size, &out);
  return out;
}

Hash TileHash(const std::vector<Hash>& hashes) {
  // The hashes are the leaves' hashes of a tree of at most 256 leaves.
  MemoryTree t;
  for (const Hash& h : hashes) t.Append(h);
  return t.Root();
}

std::string TileBytes(const std::vector<Hash>& hashes) {
  std::string out;
  out.reserve(hashes.size() * kHashSize);
  for (const Hash& h : hashes) out.append(reinterpret_cast<const char*>(h.data()), h.size());
  return out;
}

Status AppendBundleEntry(const uint8_t* data, size_t size, std::string* bundle) {
  if (size > kMaxBundleEntry) {
    return FailedPrecondition("a leaf of " + std::to_string(size) +
                              " bytes is longer than an entry bundle allows (65535)");
  }
  bundle->push_back(static_cast<char>(size >> 8));
  bundle->push_back(static_cast<char>(size & 0xff));
  if (size > 0) bundle->append(reinterpret_cast<const char*>(data), size);
  return Status::Ok();
}

}  // namespace sspf::internal
