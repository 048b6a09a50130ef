# Debian packages: `cpack -G DEB` in a build tree makes three packages,
#   libsspf0      the shared library (component "runtime"),
#   libsspf-dev   headers, the .so link, CMake config and pkg-config file ("dev"),
#   sspf-tool     the command, its man page, bash completion and
#                 sspf-verify-export ("tool").
# Run-time dependencies come from dpkg-shlibdeps; the ones it cannot see
# (libsspf0 itself, the -dev packages a consumer's find_package needs,
# python3 for sspf-verify-export) are listed here.  The test
# packaging:deb (tests/packaging) builds them and installs them into a
# scratch root.
set(CPACK_PACKAGE_NAME sspf)
set(CPACK_PACKAGE_VENDOR "libsspf")
set(CPACK_PACKAGE_CONTACT "libsspf maintainers <sspf@example.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "encrypted SSPF case records with a tamper-evident access log")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime dev tool)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libsspf.so.0 is in no installed package while the packages are built: let
# dpkg-shlibdeps find it in the build tree (a private library to it) and
# name libsspf0 by hand below.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${PROJECT_BINARY_DIR}/libsspf)

set(sspf_deb_exact "(= ${PROJECT_VERSION})")

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME libsspf${PROJECT_VERSION_MAJOR})
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION
    "libsspf: encrypted SSPF case records (shared library)
 The library behind sspf-tool: case records of youths at risk, encrypted with
 SQLCipher, shared between school, social services, police and leisure only as
 far as consent and law allow, with a signed, verifiable access log.")
# The shlibs file and the ldconfig trigger for the library package (the only
# one with a shared object).
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libsspf-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_SHLIBDEPS OFF)
# sspfConfig.cmake finds libsodium, sqlcipher and libcrypto with pkg-config.
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
    "libsspf${PROJECT_VERSION_MAJOR} ${sspf_deb_exact}, libsodium-dev, libsqlcipher-dev, libssl-dev, pkg-config")
set(CPACK_DEBIAN_DEV_DESCRIPTION
    "libsspf: encrypted SSPF case records (development files)
 Headers (C++ API and the C ABI sspf.h), the CMake package sspf::sspf and the
 pkg-config file sspf.pc.")

set(CPACK_DEBIAN_TOOL_PACKAGE_NAME sspf-tool)
set(CPACK_DEBIAN_TOOL_PACKAGE_SECTION admin)
# sspf-verify-export is a python3 script on the standard library only.
set(CPACK_DEBIAN_TOOL_PACKAGE_DEPENDS
    "libsspf${PROJECT_VERSION_MAJOR} ${sspf_deb_exact}, python3")
set(CPACK_DEBIAN_TOOL_DESCRIPTION
    "sspf-tool: the command line of libsspf
 For SSPF coordinators (samordnare), staff and auditors: subjects, cases,
 consent (samtycke), disclosures, the access log, its verification and
 extracts (loggutdrag). Also sspf-verify-export, an independent verifier of
 exported logs.")

include(CPack)
