/* SPDX-License-Identifier: MIT */
/* Front-end internals shared by the compile files. */
#ifndef NFK_COMPILE_H
#define NFK_COMPILE_H

#include "ast.h"

#endif
