/* Copyright (c) libsspf authors.
 * Symbol visibility for the public API.  The library is built with hidden
 * visibility; only declarations marked SSPF_EXPORT are exported. */
#ifndef SSPF_EXPORT_H_
#define SSPF_EXPORT_H_

#if defined(_WIN32)
#if defined(SSPF_BUILDING_SHARED)
#define SSPF_EXPORT __declspec(dllexport)
#elif defined(SSPF_SHARED)
#define SSPF_EXPORT __declspec(dllimport)
#else
#define SSPF_EXPORT
#endif
#else
#define SSPF_EXPORT __attribute__((visibility("default")))
#endif

#endif /* SSPF_EXPORT_H_ */
