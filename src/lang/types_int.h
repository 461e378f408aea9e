/* SPDX-License-Identifier: MIT */
/* Internal to src/lang/{dtype,types}.c: the parsers and printers the
 * datatype table points at. */
#ifndef NFK_TYPES_INT_H
#define NFK_TYPES_INT_H

#include "types.h"

#define NFK_DTYPE_FNS(X) \
	X(int) X(string) X(lladdr) X(ip4) X(ip6) X(service) X(reltime) X(ifindex) \
	X(classid) X(ct_label) X(date) X(hour) X(invalid)

#define NFK_DTYPE_DECL_(n) \
	int nfk_##n##_parse(const struct nfk_dtype *t, const char *text, uint8_t *out, \
			    unsigned *len, char *err, size_t errlen); \
	void nfk_##n##_print(const struct nfk_dtype *t, const uint8_t *data, \
			     unsigned len, unsigned flags, FILE *f);
NFK_DTYPE_FNS(NFK_DTYPE_DECL_)
#undef NFK_DTYPE_DECL_

/* parse-only types: printed as their base */
#define NFK_DTYPE_PARSE_ONLY(X) X(inet_proto) X(uid) X(gid) X(day) X(cgroupv2)
#define NFK_DTYPE_DECL_(n) \
	int nfk_##n##_parse(const struct nfk_dtype *t, const char *text, uint8_t *out, \
			    unsigned *len, char *err, size_t errlen);
NFK_DTYPE_PARSE_ONLY(NFK_DTYPE_DECL_)
#undef NFK_DTYPE_DECL_

#endif
