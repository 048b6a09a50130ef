// Picks Catch2 v2 (<catch2/catch.hpp>) or v3.
#ifndef SSPF_TESTS_CATCH_H_
#define SSPF_TESTS_CATCH_H_
#if __has_include(<catch2/catch.hpp>)
#include <catch2/catch.hpp>
#else
#include <catch2/catch_all.hpp>
#endif
#endif
