/* SPDX-License-Identifier: MIT */
/*
 * Scripts built from typed arguments, for the library's object API: each
 * call appends one `add` command whose body is filled in directly, so a
 * name is copied as it is (whatever bytes it holds) and never lexed.  Only
 * two things are text, each parsed as exactly that and nothing more: an
 * element list ("10.0.0.1, 10.0.0.0/24"; the element parser, at compile
 * time) and an object body ("quota 10 mbytes"; the object body parser,
 * now).  The script is then compiled with nfk_script_compile() as a
 * parsed one is.
 *
 * Each returns 0, -ENAMETOOLONG (a name longer than the kernel takes:
 * 255 bytes), -EINVAL (a missing or unknown argument, or a syntax error
 * in the text) or -ENOMEM, with a diagnostic in ds for the first two; on
 * error no command was added.
 */
#ifndef NFK_LANG_BUILD_H
#define NFK_LANG_BUILD_H

#include "lang.h"

/* A base chain's hook and policy. */
struct nfk_build_hook {
	const char *type;       /* "filter", "nat", "route" */
	unsigned hooknum;       /* NF_INET_LOCAL_IN ... */
	int prio;
	int policy;             /* -1: no policy attribute (the kernel's default); NF_ACCEPT, NF_DROP */
	const char *device;     /* netdev family; NULL: none */
};

/* A set or map declaration. */
struct nfk_build_set {
	const char *key_type;   /* nft type names: "ipv4_addr", "ipv4_addr . inet_service" */
	const char *data_type;  /* NULL: a set, not a map */
	uint32_t flags;         /* NFT_SET_CONSTANT, _INTERVAL, _TIMEOUT, _EVAL */
	uint64_t timeout_ms;
	uint32_t size;
};

/* An empty script; free it with nfk_script_free(). */
int nfk_build_new(struct nfk_script **out);
int nfk_build_table(struct nfk_script *sc, int family, const char *table, struct nfk_diags *ds);
/* hook NULL: a regular chain. */
int nfk_build_chain(struct nfk_script *sc, int family, const char *table, const char *chain,
		    const struct nfk_build_hook *hook, struct nfk_diags *ds);
int nfk_build_set(struct nfk_script *sc, int family, const char *table, const char *set,
		  const struct nfk_build_set *o, struct nfk_diags *ds);
/* The elements are copied; they are parsed (as the inside of an element
 * block, nothing else) when the script is compiled, and their errors
 * point into that copy (line 1 is the text's first line). */
int nfk_build_elements(struct nfk_script *sc, int family, const char *table, const char *set,
		       const char *elements, struct nfk_diags *ds);
/* body: the object's kind and what follows its name in nft's `add`
 * command ("counter", "quota 10 mbytes", "limit rate 10/second",
 * "ct helper { type \"ftp\" protocol tcp; }"), parsed now. */
int nfk_build_object(struct nfk_script *sc, int family, const char *table, const char *name,
		     const char *body, struct nfk_diags *ds);

#endif
