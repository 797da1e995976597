# Install rules and the Debian package, included from CMakeLists.txt.
#
#   cmake --install build --prefix <P>            # installs into <P>
#   cpack --config build/CPackConfig.cmake        # coldstart-lint_<version>_<arch>.deb, prefix /usr
#
# What goes where (relative to the prefix):
#   bin/coldstart-lint                            the program
#   lib/coldstart-lint/libcoldstart-tidy.so       the clang-tidy module (clang-tidy-19 --load=...)
#   share/coldstart-lint/include/                 the stand-in headers (fixtures/include and
#                                                 fixtures/fallback): the program has them built
#                                                 in; clang-tidy reads them with -idirafter
#   share/doc/coldstart-lint/                     README.md, checks/<check-id>.md (the pages
#                                                 --explain prints), examples/ (pre-commit, CI)
include(GNUInstallDirs)

set(COLDSTART_INSTALL_MODULEDIR lib/coldstart-lint) # a private plugin directory, not a library path
set(COLDSTART_INSTALL_HEADERDIR ${CMAKE_INSTALL_DATADIR}/coldstart-lint/include)

install(TARGETS coldstart-lint RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(TARGET coldstart-tidy)
  install(TARGETS coldstart-tidy LIBRARY DESTINATION ${COLDSTART_INSTALL_MODULEDIR})
endif()

# The stand-ins, one tree: fixtures/include and fixtures/fallback share no path (the
# program serves both under one root too).
install(DIRECTORY ${CMAKE_SOURCE_DIR}/fixtures/include/ ${CMAKE_SOURCE_DIR}/fixtures/fallback/
        DESTINATION ${COLDSTART_INSTALL_HEADERDIR} FILES_MATCHING PATTERN "*.h" PATTERN "*.hpp")

install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
foreach(page IN LISTS CHECK_DOCS) # checks/<check-id>/page.md -> checks/<check-id>.md
  get_filename_component(dir ${page} DIRECTORY)
  get_filename_component(check_id ${dir} NAME)
  install(FILES ${page} DESTINATION ${CMAKE_INSTALL_DOCDIR}/checks RENAME ${check_id}.md)
endforeach()
install(FILES ${CMAKE_SOURCE_DIR}/docs/integrations/pre-commit-config.yaml
              ${CMAKE_SOURCE_DIR}/docs/integrations/github-actions.yml
              ${CMAKE_SOURCE_DIR}/fixtures/examples/bad_handler.cpp
              ${CMAKE_SOURCE_DIR}/fixtures/examples/good_handler.cpp
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)

# ---- the Debian package -------------------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME coldstart-lint)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Static analyser for cold-start and per-invocation costs in C/C++ AWS Lambda handlers")
set(CPACK_PACKAGE_DESCRIPTION
    "Finds SDK and HTTP clients built on every invocation, connections that cannot be reused, expensive static initialisers and blocking calls in C and C++ Lambda handlers, with the call path from the handler; a command-line tool (text, JSON, SARIF, GitHub annotations, an LSP server) and a clang-tidy-19 module.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # coldstart-lint_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "coldstart-lint developers <coldstart-lint@localhost>"
    CACHE STRING "The Maintainer field of the .deb")
if(NOT COLDSTART_HOME_URL STREQUAL "")
  set(CPACK_DEBIAN_PACKAGE_HOMEPAGE ${COLDSTART_HOME_URL})
endif()
# Depends: the shared libraries the binary and the module link (libclang-cpp19, libllvm19,
# libstdc++6, libc6, ...), computed by dpkg-shlibdeps from the built files; plus the
# package that holds clang's resource directory, whose path is compiled into the binary
# (stddef.h and the other compiler headers every parse needs), found with dpkg -S.
find_program(DPKG_SHLIBDEPS dpkg-shlibdeps)
if(DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
else()
  message(STATUS "dpkg-shlibdeps not found (dpkg-dev): the .deb lists its library dependencies by hand")
  set(COLDSTART_DEB_LIBS "libclang-cpp19, libllvm19, libstdc++6, libgcc-s1, libc6")
endif()
set(COLDSTART_DEB_RESOURCE_PACKAGE "")
find_program(DPKG_QUERY dpkg-query)
if(DPKG_QUERY)
  execute_process(COMMAND ${DPKG_QUERY} -S ${COLDSTART_CLANG_RESOURCE_DIR}/include/stddef.h
                  OUTPUT_VARIABLE owner OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc ERROR_QUIET)
  if(rc EQUAL 0 AND owner MATCHES "^([a-z0-9.+-]+)(:[a-z0-9]+)?: ")
    set(COLDSTART_DEB_RESOURCE_PACKAGE ${CMAKE_MATCH_1})
  endif()
endif()
if(COLDSTART_DEB_RESOURCE_PACKAGE STREQUAL "")
  set(COLDSTART_DEB_RESOURCE_PACKAGE libclang-common-19-dev) # Debian's, where dpkg -S cannot tell
endif()
string(JOIN ", " CPACK_DEBIAN_PACKAGE_DEPENDS ${COLDSTART_DEB_LIBS} ${COLDSTART_DEB_RESOURCE_PACKAGE})
# The module needs clang-tidy-19 to load it; the hook needs pre-commit. Neither is
# needed by the program itself.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "clang-tidy-19, pre-commit")
include(CPack)
