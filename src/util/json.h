#ifndef CONVEYOR_JSON_H
#define CONVEYOR_JSON_H
#include <cjson/cJSON.h>

#include "util/sb.h"

/* Layout of json_write: JSON.stringify(v, null, 2) style, or no whitespace at all. */
enum json_layout { JSON_PRETTY, JSON_COMPACT };

void json_write(struct sb *out, const cJSON *item, enum json_layout layout);
void json_write_str(struct sb *out, const char *s);
void json_write_num(struct sb *out, double d);
cJSON *json_raw_take(struct sb *sb, int pretty_depth);
void json_newline(struct sb *out, enum json_layout layout, int depth);
void json_write_text(struct sb *out, const char *text, enum json_layout layout, int depth);
char *json_compact(const cJSON *item);
cJSON *json_parse_object(const char *text, char *detail, size_t detail_len);
cJSON *json_parse_any(const char *text);
void json_add_str(cJSON *obj, const char *key, const char *value);
const char *json_str(const cJSON *obj, const char *key);
int json_int(const cJSON *obj, const char *key);

#endif
