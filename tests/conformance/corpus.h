/* SPDX-License-Identifier: MIT */
/*
 * A tiny JSON Lines reader for the conformance corpus
 * (/work/shared/conformance/README.md): one record per line, each parsed
 * into a small JSON tree that the runners query by field name.
 */
#ifndef NFK_CORPUS_H
#define NFK_CORPUS_H

#include <stdbool.h>
#include <stddef.h>

enum corpus_kind { CJ_NULL, CJ_BOOL, CJ_NUM, CJ_STR, CJ_ARR, CJ_OBJ };

struct corpus_val {
	enum corpus_kind kind;
	bool b;
	double num;
	char *str;                 /* CJ_STR: unescaped, NUL-terminated */
	size_t n;                  /* CJ_ARR/CJ_OBJ: number of items */
	struct corpus_val *items;  /* CJ_ARR/CJ_OBJ */
	char **keys;               /* CJ_OBJ: key of each item */
};

struct corpus;

/* Opens a .jsonl file; NULL (errno set) on failure. */
struct corpus *corpus_open(const char *path);
void corpus_close(struct corpus *c);

/* Reads the next record.  Returns the record's top-level object (valid
 * until the next call), or NULL at the end.  Lines that are not valid JSON
 * objects are skipped with a warning on stderr. */
const struct corpus_val *corpus_next(struct corpus *c);
/* 1-based line number of the record last returned. */
size_t corpus_lineno(const struct corpus *c);

/* Field access on an object; all accept NULL and return the default. */
const struct corpus_val *corpus_get(const struct corpus_val *obj, const char *key);
const char *corpus_str(const struct corpus_val *obj, const char *key);  /* NULL if absent/not a string */
long corpus_int(const struct corpus_val *obj, const char *key, long dflt);
bool corpus_bool(const struct corpus_val *obj, const char *key, bool dflt);
/* Array of strings: number of items (0 if absent or null); *items points
 * at the values (check ->kind == CJ_STR; ->str). */
size_t corpus_arr(const struct corpus_val *obj, const char *key,
		  const struct corpus_val **items);
/* The i-th string of a string array, or NULL. */
const char *corpus_arr_str(const struct corpus_val *obj, const char *key, size_t i);

/* Parses one JSON text into v (freed with corpus_val_free). 0 or -1. */
int corpus_parse(const char *text, struct corpus_val *v);
void corpus_val_free(struct corpus_val *v);

#endif
