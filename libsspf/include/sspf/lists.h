// Copyright (c) libsspf authors.
//
// Comma-separated lists: the one text form of a list of names or ids in the
// store, in access-log details and on the sspf-tool command line
// ("school,police").  Items never contain the separator; nothing is quoted.
//
// All functions here are pure and thread-safe.
#ifndef SSPF_LISTS_H_
#define SSPF_LISTS_H_

#include <string>
#include <string_view>
#include <vector>

#include "sspf/export.h"
#include "sspf/types.h"

namespace sspf {

// Splits `text` at every `sep`: n separators give n + 1 items, empty items
// included, so "" gives one empty item and "a," gives "a" and "".  Callers
// that accept no empty items check for them.
SSPF_EXPORT std::vector<std::string> SplitList(std::string_view text, char sep = ',');

// The items joined by `sep` ("" for no items); the inverse of SplitList for
// a non-empty list whose items do not contain `sep`.
SSPF_EXPORT std::string JoinList(const std::vector<std::string>& items, char sep = ',');

// The names (ActorName, CategoryName in sspf/types.h) joined by ',':
// "school,police".  "" for an empty list.
SSPF_EXPORT std::string JoinActorNames(const std::vector<Actor>& actors);
SSPF_EXPORT std::string JoinCategoryNames(const std::vector<Category>& categories);

}  // namespace sspf

#endif  // SSPF_LISTS_H_
