/* SPDX-License-Identifier: MIT */
/*
 * Parsing and printing of datatype values, in nft's spelling and with
 * nft's error messages.  Name lookups read the system files directly
 * (/etc/services, /etc/passwd, ...) instead of going through NSS, so the
 * static binary behaves like the dynamic one.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "types.h"
#include "types_int.h"

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static bool host_is_be(void)
{
	return __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
}

uint64_t nfk_value_get_uint(const uint8_t *data, unsigned len, enum nfk_byteorder bo)
{
	uint64_t v = 0;
	bool be = bo == NFK_BO_BIG || (bo != NFK_BO_BIG && host_is_be());

	if (len > 8)
		len = 8;
	for (unsigned i = 0; i < len; i++)
		v |= (uint64_t)data[be ? len - 1 - i : i] << (8 * i);
	return v;
}

void nfk_value_put_uint(uint8_t *data, unsigned len, enum nfk_byteorder bo, uint64_t v)
{
	bool be = bo == NFK_BO_BIG || (bo != NFK_BO_BIG && host_is_be());

	for (unsigned i = 0; i < len; i++) {
		uint8_t b = i < 8 ? (uint8_t)(v >> (8 * i)) : 0;

		data[be ? len - 1 - i : i] = b;
	}
}

/* ---- integer ------------------------------------------------------------ */

/* Decimal text of a number too large for 64 bits, for the range message. */
static void bignum_decimal(const char *digits, unsigned base, char *out, size_t outlen)
{
	uint8_t dec[160];   /* little-endian decimal digits (512 bits: 155) */
	unsigned n = 1;

	dec[0] = 0;
	for (const char *p = digits; *p; p++) {
		unsigned d = isdigit((unsigned char)*p) ? (unsigned)(*p - '0')
						       : (unsigned)(tolower(*p) - 'a' + 10);
		unsigned carry = d;

		for (unsigned i = 0; i < n; i++) {
			unsigned x = dec[i] * base + carry;

			dec[i] = x % 10;
			carry = x / 10;
		}
		while (carry && n < sizeof(dec)) {
			dec[n++] = carry % 10;
			carry /= 10;
		}
	}
	size_t o = 0;
	while (n > 1 && dec[n - 1] == 0)
		n--;
	for (unsigned i = n; i-- > 0 && o + 1 < outlen;)
		out[o++] = (char)('0' + dec[i]);
	out[o] = 0;
}

/*
 * strtoull(.., 0) rules (0x hex, leading 0 octal, decimal), whole string.
 * 1 when the number does not fit 64 bits (digits/base describe it), 0 ok,
 * -1 not a number.
 */
static int scan_uint(const char *text, uint64_t *v, const char **digits, unsigned *base)
{
	const char *p = text;
	unsigned b = 10;
	uint64_t x = 0;
	bool big = false;

	if (!*p)
		return -1;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		b = 16;
		p += 2;
		if (!*p)
			return -1;
	} else if (p[0] == '0' && p[1]) {
		b = 8;
		p++;
	}
	*digits = p;
	*base = b;
	for (; *p; p++) {
		unsigned d;

		if (isdigit((unsigned char)*p))
			d = (unsigned)(*p - '0');
		else if (isxdigit((unsigned char)*p))
			d = (unsigned)(tolower(*p) - 'a' + 10);
		else
			return -1;
		if (d >= b)
			return -1;
		if (x > (UINT64_MAX - d) / b)
			big = true;
		x = x * b + d;
	}
	*v = x;
	return big ? 1 : 0;
}

static int range_error(const char *digits, unsigned base, uint64_t v, bool big,
		       unsigned bits, char *err, size_t errlen)
{
	char val[64], max[32];

	if (big)
		bignum_decimal(digits, base, val, sizeof(val));
	else
		snprintf(val, sizeof(val), "%" PRIu64, v);
	if (bits >= 64)
		snprintf(max, sizeof(max), "%" PRIu64, UINT64_MAX);
	else
		snprintf(max, sizeof(max), "%" PRIu64, ((uint64_t)1 << bits) - 1);
	return fail(err, errlen, "Value %s exceeds valid range 0-%s", val, max);
}

/* A number that must fit bits; "Could not parse <desc>" otherwise. */
static int parse_number(const struct nfk_dtype *t, const char *text, unsigned bits,
			uint64_t *v, char *err, size_t errlen)
{
	const char *digits;
	unsigned base;
	int r = scan_uint(text, v, &digits, &base);

	if (r < 0)
		return fail(err, errlen, "Could not parse %s", t->desc);
	if (r > 0 || (bits < 64 && *v >> bits))
		return range_error(digits, base, *v, r > 0, bits, err, errlen);
	return 0;
}

/* A number wider than 64 bits (raw payloads, options and set keys up to
 * the 64-byte register file): len big-endian bytes, then in t's order. */
static int parse_wide(const struct nfk_dtype *t, const char *text, uint8_t *out, unsigned len,
		      char *err, size_t errlen)
{
	const char *digits;
	unsigned base;
	uint64_t v;
	uint8_t be[64] = { 0 };

	if (len > sizeof(be) || scan_uint(text, &v, &digits, &base) < 0)
		return fail(err, errlen, "Could not parse %s", t->desc);
	for (const char *p = digits; *p; p++) {
		unsigned carry = isdigit((unsigned char)*p) ? (unsigned)(*p - '0') :
				 (unsigned)(tolower(*p) - 'a' + 10);

		for (unsigned i = len; i-- > 0;) {
			unsigned x = be[i] * base + carry;

			be[i] = (uint8_t)x;
			carry = x >> 8;
		}
		if (carry) {
			char val[200], max[200], ff[2 * sizeof(be) + 1];

			memset(ff, 'f', 2 * len);
			ff[2 * len] = 0;
			bignum_decimal(digits, base, val, sizeof(val));
			bignum_decimal(ff, 16, max, sizeof(max));
			return fail(err, errlen, "Value %s exceeds valid range 0-%s", val, max);
		}
	}
	for (unsigned i = 0; i < len; i++)
		out[i] = be[nfk_dtype_bo(t) == NFK_BO_BIG || host_is_be() ? i : len - 1 - i];
	return 0;
}

int nfk_int_parse(const struct nfk_dtype *t, const char *text, uint8_t *out,
		  unsigned *len, char *err, size_t errlen)
{
	uint64_t v;
	int r;

	if (*len > 8)
		return parse_wide(t, text, out, *len, err, errlen);
	r = parse_number(t, text, *len * 8, &v, err, errlen);
	if (r)
		return r;
	nfk_value_put_uint(out, *len, nfk_dtype_bo(t), v);
	return 0;
}

/* The invalid type (a set whose key type is 0): nft takes no value of it
 * and lists the kernel's bytes in hex, big-endian. */
int nfk_invalid_parse(const struct nfk_dtype *t, const char *text, uint8_t *out,
		      unsigned *len, char *err, size_t errlen)
{
	(void)t, (void)text, (void)out, (void)len;
	return fail(err, errlen, "Can't parse symbolic invalid expressions");
}

void nfk_invalid_print(const struct nfk_dtype *t, const uint8_t *data, unsigned len,
		       unsigned flags, FILE *f)
{
	unsigned skip = 0;

	(void)t, (void)flags;
	while (skip + 1 < len && !data[skip])
		skip++;
	fprintf(f, "0x%x", len ? data[skip] : 0);
	for (unsigned i = skip + 1; i < len; i++)
		fprintf(f, "%02x", data[i]);
	fputs(" [invalid type]", f);
}

static void print_hex_bytes(const uint8_t *data, unsigned len, enum nfk_byteorder bo,
			    FILE *f)
{
	fputs("0x", f);
	for (unsigned i = 0; i < len; i++) {
		unsigned j = (bo == NFK_BO_BIG || host_is_be()) ? i : len - 1 - i;

		fprintf(f, "%02x", data[j]);
	}
}

void nfk_int_print(const struct nfk_dtype *t, const uint8_t *data, unsigned len,
		   unsigned flags, FILE *f)
{
	enum nfk_byteorder bo = nfk_dtype_bo(t);
	(void)flags;

	if (len > 8) {
		/* wider than any C integer: hex without leading zeros */
		unsigned skip = 0;
		uint8_t be[64];

		if (len > sizeof(be))
			len = sizeof(be);
		for (unsigned i = 0; i < len; i++)
			be[i] = data[(bo == NFK_BO_BIG || host_is_be()) ? i : len - 1 - i];
		while (skip < len - 1 && !be[skip])
			skip++;
		if (t->fmt != NFK_FMT_HEX && t->fmt != NFK_FMT_HEXBITS) {
			/* a decimal type stays decimal, however wide (nft's mpz) */
			char hex[2 * sizeof(be) + 1], dec[160];

			for (unsigned i = 0; i < len; i++)
				snprintf(hex + 2 * i, 3, "%02x", be[i]);
			bignum_decimal(hex, 16, dec, sizeof(dec));
			fputs(dec, f);
			return;
		}
		fprintf(f, "0x%x", be[skip]);
		for (unsigned i = skip + 1; i < len; i++)
			fprintf(f, "%02x", be[i]);
		return;
	}
	uint64_t v = nfk_value_get_uint(data, len, bo);

	switch (t->fmt) {
	case NFK_FMT_HEX:
		print_hex_bytes(data, len, bo, f);
		break;
	case NFK_FMT_HEXBITS:
		fprintf(f, "0x%" PRIx64, v);
		break;
	default:
		fprintf(f, "%" PRIu64, v);
		break;
	}
}

/* ---- strings ------------------------------------------------------------ */

/*
 * Copies text zero-padded to *len.  A trailing unescaped '*' makes a
 * prefix match: only the prefix is written and *len becomes its length.
 * "\*" stands for a literal asterisk.  As nft, the text as written with
 * its NUL (wildcard and backslashes included) must fit the field.
 */
int nfk_string_parse(const struct nfk_dtype *t, const char *text, uint8_t *out,
		     unsigned *len, char *err, size_t errlen)
{
	unsigned cap = *len, n = 0;
	bool wildcard = false;
	(void)t;

	if (strlen(text) >= cap)
		return fail(err, errlen, "String exceeds maximum length of %u", cap);
	for (const char *p = text; *p; p++) {
		char c = *p;

		if (c == '\\' && p[1] == '*') {
			c = '*';
			p++;
		} else if (c == '*' && !p[1]) {
			wildcard = true;
			break;
		}
		if (n >= cap)
			return fail(err, errlen, "String exceeds maximum length of %u", cap);
		out[n++] = (uint8_t)c;
	}
	if (wildcard) {
		*len = n;
		return 0;
	}
	memset(out + n, 0, cap - n);
	return 0;
}

void nfk_string_print(const struct nfk_dtype *t, const uint8_t *data, unsigned len,
		      unsigned flags, FILE *f)
{
	unsigned n = 0;
	(void)flags;
	(void)t;

	while (n < len && data[n])
		n++;
	fputc('"', f);
	fwrite(data, 1, n, f);
	fputc('"', f);
}

/* ---- addresses ----------------------------------------------------------- */

int nfk_lladdr_parse(const struct nfk_dtype *t, const char *text, uint8_t *out,
		     unsigned *len, char *err, size_t errlen)
{
	uint8_t b[32];
	unsigned n = 0, cap = *len ? *len : sizeof(b);
	const char *p = text;
	(void)t;

	if (cap > sizeof(b))
		cap = sizeof(b);
	for (;;) {
		unsigned v = 0, digits = 0;

		while (isxdigit((unsigned char)*p) && digits < 3) {
			v = v * 16 + (unsigned)(isdigit((unsigned char)*p) ? *p - '0'
								 : tolower(*p) - 'a' + 10);
			p++;
			digits++;
		}
		if (!digits || digits > 2 || n >= cap)
			return fail(err, errlen, "Invalid LL address");
		b[n++] = (uint8_t)v;
		if (!*p)
			break;
		if (*p++ != ':')
			return fail(err, errlen, "Invalid LL address");
	}
	if (!*len)
		*len = n;
	/* like nft, a short address is a number: zeros on the left */
	memset(out, 0, *len - n);
	memcpy(out + *len - n, b, n);
	return 0;
}

void nfk_lladdr_print(const struct nfk_dtype *t, const uint8_t *data, unsigned len,
		      unsigned flags, FILE *f)
{
	(void)flags;
	(void)t;
	for (unsigned i = 0; i < len; i++)
		fprintf(f, i ? ":%02x" : "%02x", data[i]);
}

int nfk_ip4_parse(const struct nfk_dtype *t, const char *text, uint8_t *out,
		  unsigned *len, char *err, size_t errlen)
{
	struct in_addr a;
	(void)t;

	struct in6_addr a6;

	/* inet_aton: the numeric forms getaddrinfo takes (0x01020304, 10.1);
	 * an IPv6 address is getaddrinfo's EAI_ADDRFAMILY, as nft prints it */
	if (!inet_aton(text, &a))
		return fail(err, errlen, "Could not resolve hostname: %s",
			    inet_pton(AF_INET6, text, &a6) == 1 ? "Address family for hostname not supported" :
								   "Name or service not known");
	memcpy(out, &a, 4);
	*len = 4;
	return 0;
}

void nfk_ip4_print(const struct nfk_dtype *t, const uint8_t *data, unsigned len,
		   unsigned flags, FILE *f)
{
	if (len < 4) {
		nfk_int_print(t, data, len, flags, f);
		return;
	}
	fprintf(f, "%u.%u.%u.%u", data[0], data[1], data[2], data[3]);
}

int nfk_ip6_parse(const struct nfk_dtype *t, const char *text, uint8_t *out,
		  unsigned *len, char *err, size_t errlen)
{
	struct in6_addr a;
	(void)t;

	struct in_addr a4;

	if (inet_pton(AF_INET6, text, &a) != 1)
		return fail(err, errlen, "Could not resolve hostname: %s",
			    inet_aton(text, &a4) ? "Address family for hostname not supported" :
						   "Name or service not known");
	memcpy(out, &a, 16);
	*len = 16;
	return 0;
}

void nfk_ip6_print(const struct nfk_dtype *t, const uint8_t *data, unsigned len,
		   unsigned flags, FILE *f)
{
	char buf[INET6_ADDRSTRLEN];
	uint8_t a[16] = { 0 };

	/* fewer bytes (a set another tool made): the number they hold, as
	 * nft reads it, an address with zeros on the left */
	if (len && len < 16) {
		memcpy(a + 16 - len, data, len);
		data = a;
		len = 16;
	}
	/* libc's inet_ntop is exactly what nft prints (including ::1.2.3.4) */
	if (len < 16 || !inet_ntop(AF_INET6, data, buf, sizeof(buf))) {
		nfk_int_print(t, data, len, flags, f);
		return;
	}
	fputs(buf, f);
}

/* ---- system name files --------------------------------------------------- */

/*
 * Looks a name up in a whitespace file (/etc/services: "name port/proto
 * aliases") or a colon file (/etc/passwd: "name:x:id:..."); returns the
 * number, or -1.
 */
static long services_lookup(const char *name)
{
	FILE *fp = fopen("/etc/services", "re");
	char line[512];
	long found = -1;

	if (!fp)
		return -1;
	while (found < 0 && fgets(line, sizeof(line), fp)) {
		char *save = NULL, *hash = strchr(line, '#');

		if (hash)
			*hash = 0;
		char *svc = strtok_r(line, " \t\n", &save);
		char *port = strtok_r(NULL, " \t\n", &save);

		if (!svc || !port)
			continue;
		bool match = !strcmp(svc, name);
		for (char *a; !match && (a = strtok_r(NULL, " \t\n", &save));)
			match = !strcmp(a, name);
		if (match)
			found = strtol(port, NULL, 10);
	}
	fclose(fp);
	return found;
}

static bool services_name(unsigned port, char *out, size_t outlen)
{
	FILE *fp = fopen("/etc/services", "re");
	char line[512];
	bool found = false;

	if (!fp)
		return false;
	while (!found && fgets(line, sizeof(line), fp)) {
		char *save = NULL, *hash = strchr(line, '#');

		if (hash)
			*hash = 0;
		char *svc = strtok_r(line, " \t\n", &save);
		char *pp = strtok_r(NULL, " \t\n", &save);

		if (!svc || !pp || strtoul(pp, NULL, 10) != port || !strstr(pp, "/tcp"))
			continue;
		snprintf(out, outlen, "%s", svc);
		found = true;
	}
	fclose(fp);
	return found;
}

static long colon_file_lookup(const char *path, const char *name)
{
	FILE *fp = fopen(path, "re");
	char line[1024];
	long found = -1;

	if (!fp)
		return -1;
	while (found < 0 && fgets(line, sizeof(line), fp)) {
		char *c1 = strchr(line, ':'), *c2, *c3;

		if (!c1 || !(c2 = strchr(c1 + 1, ':')) || !(c3 = strchr(c2 + 1, ':')))
			continue;
		*c1 = 0;
		if (!strcmp(line, name))
			found = strtol(c2 + 1, NULL, 10);
	}
	fclose(fp);
	return found;
}

/* ---- services, protocols, users ----------------------------------------- */

int nfk_service_parse(const struct nfk_dtype *t, const char *text, uint8_t *out,
		      unsigned *len, char *err, size_t errlen)
{
	const char *digits;
	unsigned base;
	uint64_t v;
	int r = scan_uint(text, &v, &digits, &base);
	(void)t;

	if (r < 0) {
		long p = services_lookup(text);

		if (p < 0)
			return fail(err, errlen, "Could not resolve service: "
				    "Servname not supported for ai_socktype");
		v = (uint64_t)p;
	} else if (r > 0 || v > 65535) {
		return fail(err, errlen, "Service out of range");
	}
	*len = 2;
	nfk_value_put_uint(out, 2, NFK_BO_BIG, v);
	return 0;
}

void nfk_service_print(const struct nfk_dtype *t, const uint8_t *data, unsigned len,
		       unsigned flags, FILE *f)
{
	unsigned port = (unsigned)nfk_value_get_uint(data, len, NFK_BO_BIG);
	char name[64];
	(void)t;

	/* -S lists names quoted: tcp dport "ssh" */
	if ((flags & NFK_PRINT_SERVICE) && services_name(port, name, sizeof(name)))
		fprintf(f, "\"%s\"", name);
	else
		fprintf(f, "%u", port);
}

static int parse_id_or_name(const struct nfk_dtype *t, const char *text, uint8_t *out,
			    unsigned *len, const char *file, const char *what, char *err,
			    size_t errlen)
{
	const char *digits;
	unsigned base;
	uint64_t v;
	int r = scan_uint(text, &v, &digits, &base);
	(void)t;

	if (r < 0) {
		long id = colon_file_lookup(file, text);

		if (id < 0)
			return fail(err, errlen, "%s does not exist", what);
		v = (uint64_t)id;
	} else if (r > 0 || v > UINT32_MAX) {
		return range_error(digits, base, v, r > 0, 32, err, errlen);
	}
	*len = 4;
	nfk_value_put_uint(out, 4, NFK_BO_HOST, v);
	return 0;
}

int nfk_uid_parse(const struct nfk_dtype *t, const char *text, uint8_t *out,
		  unsigned *len, char *err, size_t errlen)
{
	return parse_id_or_name(t, text, out, len, "/etc/passwd", "User", err, errlen);
}

int nfk_gid_parse(const struct nfk_dtype *t, const char *text, uint8_t *out,
		  unsigned *len, char *err, size_t errlen)
{
	return parse_id_or_name(t, text, out, len, "/etc/group", "Group", err, errlen);
}

int nfk_inet_proto_parse(const struct nfk_dtype *t, const char *text, uint8_t *out,
			 unsigned *len, char *err, size_t errlen)
{
	const char *digits;
	unsigned base;
	uint64_t v;
	int r = scan_uint(text, &v, &digits, &base);
	(void)t;

	/* names were tried as symbols already; nft's grammar adds its header
	 * keywords, which /etc/protocols spells "ipcomp" and "ipv6-icmp" */
	static const struct { const char *kw; uint8_t proto; } kws[] = {
		{ "comp", 108 }, { "icmpv6", 58 },
	};
	for (size_t i = 0; r < 0 && i < sizeof(kws) / sizeof(kws[0]); i++)
		if (!strcmp(text, kws[i].kw)) {
			*len = 1;
			out[0] = kws[i].proto;
			return 0;
		}
	if (r < 0)
		return fail(err, errlen, "Could not resolve protocol name");
	if (r > 0 || v > 255)
		return fail(err, errlen, "Protocol out of range");
	*len = 1;
	out[0] = (uint8_t)v;
	return 0;
}

/* ---- interfaces ---------------------------------------------------------- */

int nfk_ifindex_parse(const struct nfk_dtype *t, const char *text, uint8_t *out,
		      unsigned *len, char *err, size_t errlen)
{
	unsigned idx = if_nametoindex(text);
	(void)t;

	if (!idx)
		return fail(err, errlen, "Interface does not exist");
	*len = 4;
	nfk_value_put_uint(out, 4, NFK_BO_HOST, idx);
	return 0;
}

void nfk_ifindex_print(const struct nfk_dtype *t, const uint8_t *data, unsigned len,
		       unsigned flags, FILE *f)
{
	unsigned idx = (unsigned)nfk_value_get_uint(data, len, NFK_BO_HOST);
	char name[IF_NAMESIZE];
	(void)flags;
	(void)t;

	if (idx && if_indextoname(idx, name))
		fprintf(f, "\"%s\"", name);
	else
		fprintf(f, "%u", idx);
}

/* ---- tc classid ---------------------------------------------------------- */

int nfk_classid_parse(const struct nfk_dtype *t, const char *text, uint8_t *out,
		      unsigned *len, char *err, size_t errlen)
{
	uint64_t v;
	char *end;

	*len = 4;
	if (!strcmp(text, "none"))
		v = 0;
	else if (!strcmp(text, "root"))
		v = 0xffffffffu;
	else if (strchr(text, ':')) {
		unsigned long maj = strtoul(text, &end, 16), min;

		if (end == text || *end != ':' || maj > 0xffff)
			return fail(err, errlen, "Could not parse %s", t->desc);
		const char *m = end + 1;
		min = strtoul(m, &end, 16);
		if (*end || maj > 0xffff || min > 0xffff)
			return fail(err, errlen, "Could not parse %s", t->desc);
		v = (maj << 16) | min;
	} else {
		int r = parse_number(t, text, 32, &v, err, errlen);

		if (r)
			return r;
	}
	nfk_value_put_uint(out, 4, NFK_BO_HOST, v);
	return 0;
}

void nfk_classid_print(const struct nfk_dtype *t, const uint8_t *data, unsigned len,
		       unsigned flags, FILE *f)
{
	uint32_t v = (uint32_t)nfk_value_get_uint(data, len, NFK_BO_HOST);
	(void)flags;
	(void)t;

	if (v == 0)
		fputs("none", f);
	else if (v == 0xffffffffu)
		fputs("root", f);
	else
		fprintf(f, "%x:%x", v >> 16, v & 0xffff);
}

/* ---- ct label: a 128-bit map named by /etc/connlabel.conf ----------------- */

static bool connlabel_lookup(const char *name, unsigned *bit, unsigned want_bit,
			     char *out, size_t outlen)
{
	FILE *fp = fopen("/etc/connlabel.conf", "re");
	char line[256];
	bool found = false;

	if (!fp)
		return false;
	while (!found && fgets(line, sizeof(line), fp)) {
		char *end, *p = line;
		unsigned long b = strtoul(p, &end, 0);

		if (end == p || *p == '#')
			continue;
		while (*end == ' ' || *end == '\t')
			end++;
		end[strcspn(end, " \t\r\n")] = 0;
		if (!*end)
			continue;
		if (name && !strcmp(end, name)) {
			*bit = (unsigned)b;
			found = true;
		} else if (!name && b == want_bit) {
			snprintf(out, outlen, "%s", end);
			found = true;
		}
	}
	fclose(fp);
	return found;
}

int nfk_ct_label_parse(const struct nfk_dtype *t, const char *text, uint8_t *out,
		       unsigned *len, char *err, size_t errlen)
{
	const char *digits;
	unsigned base, bit;
	uint64_t v;
	(void)t;

	if (scan_uint(text, &v, &digits, &base) == 0 && v < 128)
		bit = (unsigned)v;
	else if (!connlabel_lookup(text, &bit, 0, NULL, 0) || bit >= 128)
		return fail(err, errlen,
			    "/etc/connlabel.conf: could not parse conntrack label \"%s\"", text);
	*len = 16;
	memset(out, 0, 16);
	/* the kernel's label bitmap: bit n lives in byte n / 8 */
	out[bit / 8] |= (uint8_t)(1u << (bit % 8));
	return 0;
}

void nfk_ct_label_print(const struct nfk_dtype *t, const uint8_t *data, unsigned len,
			unsigned flags, FILE *f)
{
	bool first = true;
	char name[64];
	(void)t;

	for (unsigned b = 0; b < len * 8; b++) {
		if (!(data[b / 8] & (1u << (b % 8))))
			continue;
		fputs(first ? "" : ",", f);
		first = false;
		if (!(flags & NFK_PRINT_NUMERIC) && connlabel_lookup(NULL, NULL, b, name, sizeof(name)))
			fputs(name, f);
		else
			fprintf(f, "%u", b);
	}
	if (first)
		fputs("0", f);
}

/* ---- time ---------------------------------------------------------------- */

static const struct {
	const char *unit;
	uint64_t ms;
} time_units[] = {
	{ "d", 86400000ull }, { "h", 3600000ull }, { "m", 60000ull }, { "s", 1000ull },
	{ "ms", 1ull },
};

/* One unit of a time string at s (n bytes left): its index in time_units,
 * or -1.  "ms" is not "m" followed by "s". */
static int time_unit_at(const char *s, size_t n)
{
	int best = -1;

	for (unsigned u = 0; u < sizeof(time_units) / sizeof(time_units[0]); u++) {
		size_t l = strlen(time_units[u].unit);

		if (l <= n && !strncmp(s, time_units[u].unit, l) &&
		    (best < 0 || l > strlen(time_units[best].unit)))
			best = (int)u;
	}
	return best;
}

/* nft's scanner reads a time string as digits and a unit, per unit in the
 * order d, h, m, s, ms, each at most once: "1d2h", "1m30s", "500ms". */
size_t nfk_time_span(const char *s, size_t n)
{
	size_t i = 0, good = 0;
	int last = -1;

	while (i < n && isdigit((unsigned char)s[i])) {
		size_t d = i;
		int u;

		while (d < n && isdigit((unsigned char)s[d]))
			d++;
		u = time_unit_at(s + d, n - d);
		if (u <= last)
			break;
		last = u;
		i = d + strlen(time_units[u].unit);
		good = i;
	}
	return good;
}

int nfk_time_parse(const char *text, uint64_t *ms, char *err, size_t errlen)
{
	size_t n = strlen(text), i = 0;
	uint64_t total = 0;

	if (!n)
		return fail(err, errlen, "wrong time format");
	while (i < n && isdigit((unsigned char)text[i]))
		i++;
	if (i == n) {
		/* a bare number is seconds */
		if (n > 8)
			return fail(err, errlen, "value too large");
		*ms = strtoull(text, NULL, 10) * 1000;
		return 0;
	}
	if (nfk_time_span(text, n) != n)
		return fail(err, errlen, "wrong time format");
	for (i = 0; i < n;) {
		uint64_t v = 0;
		unsigned digits = 0;
		int u;

		while (isdigit((unsigned char)text[i])) {
			v = v * 10 + (uint64_t)(text[i++] - '0');
			/* nft takes up to eight digits per unit */
			if (++digits > 8)
				return fail(err, errlen, "value too large");
		}
		u = time_unit_at(text + i, n - i);
		total += v * time_units[u].ms;
		i += strlen(time_units[u].unit);
	}
	*ms = total;
	return 0;
}

void nfk_time_print(uint64_t ms, FILE *f)
{
	bool any = false;

	for (unsigned u = 0; u < sizeof(time_units) / sizeof(time_units[0]); u++) {
		uint64_t n = ms / time_units[u].ms;

		if (!n)
			continue;
		fprintf(f, "%" PRIu64 "%s", n, time_units[u].unit);
		ms -= n * time_units[u].ms;
		any = true;
	}
	if (!any)
		fputs("0s", f);
}

int nfk_reltime_parse(const struct nfk_dtype *t, const char *text, uint8_t *out,
		      unsigned *len, char *err, size_t errlen)
{
	uint64_t ms;
	int r = nfk_time_parse(text, &ms, err, errlen);
	(void)t;

	if (r)
		return r;
	if (*len < 8 && ms >> (*len * 8))
		return range_error(NULL, 10, ms, false, *len * 8, err, errlen);
	nfk_value_put_uint(out, *len, NFK_BO_HOST, ms);
	return 0;
}

void nfk_reltime_print(const struct nfk_dtype *t, const uint8_t *data, unsigned len,
		       unsigned flags, FILE *f)
{
	(void)flags;
	(void)t;
	nfk_time_print(nfk_value_get_uint(data, len, NFK_BO_HOST), f);
}

/* Seconds east of UTC now, as nft applies to meta hour. */
static long tz_offset(void)
{
	time_t now = time(NULL);
	struct tm tm;

	if (!localtime_r(&now, &tm))
		return 0;
	return tm.tm_gmtoff;
}

int nfk_date_parse(const struct nfk_dtype *t, const char *text, uint8_t *out,
		   unsigned *len, char *err, size_t errlen)
{
	struct tm tm;
	const char *digits;
	unsigned base;
	uint64_t v;
	int64_t secs;
	(void)t;

	*len = 8;
	if (scan_uint(text, &v, &digits, &base) == 0) {
		secs = (int64_t)v;
	} else {
		const char *end;

		memset(&tm, 0, sizeof(tm));
		end = strptime(text, "%Y-%m-%d %H:%M:%S", &tm);
		if (!end || *end) {
			memset(&tm, 0, sizeof(tm));
			end = strptime(text, "%Y-%m-%d %H:%M", &tm);
		}
		if (!end || *end) {
			memset(&tm, 0, sizeof(tm));
			end = strptime(text, "%Y-%m-%d", &tm);
		}
		if (!end || *end)
			return fail(err, errlen, "Cannot parse date");
		tm.tm_isdst = -1;
		secs = (int64_t)mktime(&tm);
	}
	nfk_value_put_uint(out, 8, NFK_BO_HOST, (uint64_t)secs * 1000000000ull);
	return 0;
}

void nfk_date_print(const struct nfk_dtype *t, const uint8_t *data, unsigned len,
		    unsigned flags, FILE *f)
{
	(void)flags;
	(void)t;
	time_t secs = (time_t)(nfk_value_get_uint(data, len, NFK_BO_HOST) / 1000000000ull);
	struct tm tm;
	char buf[64];

	if (!localtime_r(&secs, &tm) || !strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm)) {
		fprintf(f, "%lld", (long long)secs);
		return;
	}
	fprintf(f, "\"%s\"", buf);
}

int nfk_hour_parse(const struct nfk_dtype *t, const char *text, uint8_t *out,
		   unsigned *len, char *err, size_t errlen)
{
	unsigned h, m, s = 0;
	int n = 0;
	(void)t;

	if ((sscanf(text, "%2u:%2u:%2u%n", &h, &m, &s, &n) != 3 || text[n]) &&
	    (s = 0, n = 0, sscanf(text, "%2u:%2u%n", &h, &m, &n) != 2 || text[n]))
		return fail(err, errlen, "wrong time format");
	if (h > 23 || m > 59 || s > 59)
		return fail(err, errlen, "wrong time format");
	long v = (long)(h * 3600 + m * 60 + s) - tz_offset();

	v = ((v % 86400) + 86400) % 86400;
	*len = 4;
	nfk_value_put_uint(out, 4, NFK_BO_HOST, (uint64_t)v);
	return 0;
}

void nfk_hour_print(const struct nfk_dtype *t, const uint8_t *data, unsigned len,
		    unsigned flags, FILE *f)
{
	long v = (long)nfk_value_get_uint(data, len, NFK_BO_HOST) + tz_offset();
	(void)flags;
	(void)t;

	v = ((v % 86400) + 86400) % 86400;
	fprintf(f, "\"%02ld:%02ld", v / 3600, v / 60 % 60);
	if (v % 60)
		fprintf(f, ":%02ld", v % 60);
	fputc('"', f);
}

int nfk_day_parse(const struct nfk_dtype *t, const char *text, uint8_t *out,
		  unsigned *len, char *err, size_t errlen)
{
	const char *digits;
	unsigned base;
	uint64_t v;
	int r = scan_uint(text, &v, &digits, &base);

	/* names were tried as symbols already */
	if (r < 0)
		return fail(err, errlen, "Could not parse %s", t->desc);
	if (r > 0 || v > 6)
		return fail(err, errlen, "Value %" PRIu64 " exceeds valid range 0-6", v);
	*len = 1;
	out[0] = (uint8_t)v;
	return 0;
}

int nfk_cgroupv2_parse(const struct nfk_dtype *t, const char *text, uint8_t *out,
		       unsigned *len, char *err, size_t errlen)
{
	const char *digits;
	unsigned base;
	uint64_t v;
	char path[4096];
	struct stat st;
	(void)t;

	if (scan_uint(text, &v, &digits, &base) != 0) {
		snprintf(path, sizeof(path), "/sys/fs/cgroup/%s", text);
		if (stat(path, &st) < 0)
			return fail(err, errlen, "cgroupv2 path fails: %s", strerror(errno));
		v = st.st_ino;
	}
	*len = 8;
	nfk_value_put_uint(out, 8, NFK_BO_HOST, v);
	return 0;
}

/* ---- generic parse/print through the type chain --------------------------- */

static nfk_dtype_parse_fn find_parse(const struct nfk_dtype *t)
{
	for (; t; t = t->base)
		if (t->parse)
			return t->parse;
	return nfk_int_parse;
}

static nfk_dtype_print_fn find_print(const struct nfk_dtype *t)
{
	for (; t; t = t->base)
		if (t->print)
			return t->print;
	return nfk_int_print;
}

static bool has_syms(const struct nfk_dtype *t)
{
	for (; t; t = t->base)
		if (t->syms)
			return true;
	return false;
}

static bool is_string(const struct nfk_dtype *t)
{
	return nfk_dtype_is(t, &nfk_dtypes[NFK_TYPE_STRING]);
}

static int parse_one(const struct nfk_dtype *t, const char *text, uint8_t *out,
		     unsigned *len, char *err, size_t errlen)
{
	uint64_t v;

	if (has_syms(t) && !nfk_dtype_sym_value(t, text, &v)) {
		nfk_value_put_uint(out, *len, nfk_dtype_bo(t), v);
		return 0;
	}
	return find_parse(t)(t, text, out, len, err, errlen);
}

int nfk_dtype_parse(const struct nfk_dtype *t, const char *text, uint8_t *out,
		    unsigned *len, char *err, size_t errlen)
{
	if (t->bits && !is_string(t))
		*len = nfk_dtype_len(t);
	if (!*len && t->id == NFK_TYPE_INTEGER) {
		/* a field of no bits (@nh,0,0): nothing but 0 fits, as nft says */
		uint64_t v;

		return parse_number(t, text, 0, &v, err, errlen);
	}
	if (!*len)
		return fail(err, errlen, "Could not parse %s", t->desc);

	/* a bitmask value may be written as a list: "established,related" */
	if (t->bitmask && has_syms(t) && strchr(text, ',') && *len <= 8) {
		uint64_t acc = 0;
		char item[128];
		const char *p = text;

		while (*p) {
			size_t n = strcspn(p, ",");
			uint8_t tmp[8];
			unsigned l = *len;
			int r;

			if (n >= sizeof(item))
				return fail(err, errlen, "Could not parse %s", t->desc);
			memcpy(item, p, n);
			item[n] = 0;
			while (n && item[n - 1] == ' ')
				item[--n] = 0;
			r = parse_one(t, item + strspn(item, " "), tmp, &l, err, errlen);
			if (r)
				return r;
			acc |= nfk_value_get_uint(tmp, l, nfk_dtype_bo(t));
			p += strcspn(p, ",");
			if (*p)
				p++;
		}
		nfk_value_put_uint(out, *len, nfk_dtype_bo(t), acc);
		return 0;
	}
	return parse_one(t, text, out, len, err, errlen);
}

static void print_bits(const struct nfk_dtype *t, uint64_t v, unsigned flags, FILE *f)
{
	const char *name;
	bool first = true;

	if (!v) {
		name = (flags & NFK_PRINT_NUMERIC) ? NULL : nfk_dtype_sym_name(t, 0);
		fputs(name ? name : "0x0", f);
		return;
	}
	for (unsigned b = 0; b < 64; b++) {
		uint64_t bit = (uint64_t)1 << b;

		if (!(v & bit))
			continue;
		name = (flags & NFK_PRINT_NUMERIC) ? NULL : nfk_dtype_sym_name(t, bit);
		if (!first)
			fputc(',', f);
		first = false;
		if (name)
			fputs(name, f);
		else
			fprintf(f, "0x%" PRIx64, bit);
	}
}

static bool numeric_for(const struct nfk_dtype *t, unsigned flags)
{
	if (flags & NFK_PRINT_NUMERIC)
		return true;
	return (flags & NFK_PRINT_NUMERIC_PROTO) &&
	       nfk_dtype_is(t, &nfk_dtypes[NFK_TYPE_INET_PROTOCOL]);
}

void nfk_dtype_print(const struct nfk_dtype *t, const uint8_t *data, unsigned len,
		     unsigned flags, FILE *f)
{
	if (len <= 8 && has_syms(t)) {
		uint64_t v = nfk_value_get_uint(data, len, nfk_dtype_bo(t));

		if (t->bitmask) {
			print_bits(t, v, flags, f);
			return;
		}
		const char *name = numeric_for(t, flags) ? NULL : nfk_dtype_sym_name(t, v);

		if (name) {
			fprintf(f, t->quoted ? "\"%s\"" : "%s", name);
			return;
		}
	}
	find_print(t)(t, data, len, flags, f);
}

/* Types whose value is a number in a byte order (not bytes like an address). */
static bool is_numeric(const struct nfk_dtype *t)
{
	return !is_string(t) && !nfk_dtype_is(t, &nfk_dtypes[NFK_TYPE_LLADDR]) &&
	       !nfk_dtype_is(t, &nfk_dtypes[NFK_TYPE_IPADDR]) &&
	       !nfk_dtype_is(t, &nfk_dtypes[NFK_TYPE_IP6ADDR]) &&
	       t != &nfk_dtypes[NFK_TYPE_CT_LABEL];
}

static void swap_bytes(uint8_t *d, unsigned len)
{
	for (unsigned i = 0; i < len / 2; i++) {
		uint8_t x = d[i];

		d[i] = d[len - 1 - i];
		d[len - 1 - i] = x;
	}
}

int nfk_value_parse(const struct nfk_dtype *t, enum nfk_byteorder bo, unsigned bits,
		    const char *text, uint8_t *out, unsigned *len, char *err, size_t errlen)
{
	unsigned want;
	int r;

	if (!bits)
		bits = t->bits;
	want = (bits + 7) / 8;
	if (!want)
		want = *len;
	if (is_string(t)) {
		*len = want;
		return nfk_dtype_parse(t, text, out, len, err, errlen);
	}
	/* parse at the type's own size, then narrow to the field */
	uint8_t tmp[64];
	unsigned tl = t->bits ? nfk_dtype_len(t) : want;

	if (tl > sizeof(tmp) || want > sizeof(tmp))
		return fail(err, errlen, "Could not parse %s", t->desc);
	r = nfk_dtype_parse(t, text, tmp, &tl, err, errlen);
	if (r)
		return r;
	if (!is_numeric(t) || tl > 8) {
		if (tl > want)
			return fail(err, errlen, "Could not parse %s", t->desc);
		memcpy(out, tmp, tl);
		/* wide numbers come in the type's order: turn them to the field's */
		if (is_numeric(t) && bo != NFK_BO_INVALID && bo != nfk_dtype_bo(t) && tl > 1)
			swap_bytes(out, tl);
		*len = tl;
		return 0;
	}
	uint64_t v = nfk_value_get_uint(tmp, tl, nfk_dtype_bo(t));

	if (bits < 64 && v >> bits)
		return range_error(NULL, 10, v, false, bits, err, errlen);
	if (bo == NFK_BO_INVALID)
		bo = nfk_dtype_bo(t);
	nfk_value_put_uint(out, want, bo, v);
	*len = want;
	return 0;
}

void nfk_value_print(const struct nfk_dtype *t, enum nfk_byteorder bo, const uint8_t *data,
		     unsigned len, unsigned flags, FILE *f)
{
	uint8_t tmp[64];

	if (bo != NFK_BO_INVALID && is_numeric(t) && len <= sizeof(tmp) &&
	    nfk_dtype_bo(t) != bo && len > 1) {
		memcpy(tmp, data, len);
		swap_bytes(tmp, len);
		data = tmp;
	}
	nfk_dtype_print(t, data, len, flags, f);
}

int nfk_value_snprint(char *buf, size_t size, const struct nfk_dtype *t,
		      enum nfk_byteorder bo, const uint8_t *data, unsigned len, unsigned flags)
{
	char tmp[2048];
	FILE *f = fmemopen(tmp, sizeof(tmp), "w");
	long n;

	if (!f) {
		if (size)
			buf[0] = 0;
		return -errno;
	}
	nfk_value_print(t, bo, data, len, flags, f);
	n = ftell(f);
	fclose(f);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(tmp))
		n = sizeof(tmp) - 1;
	tmp[n] = 0;
	return snprintf(buf, size, "%s", tmp);
}
