/* Unit tests for the secret detector: one named cmocka test per table row.
 * Fake credentials are split across adjacent string literals so repository
 * secret scanners do not flag this file; the compiler joins them back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/base/secret.h"

#define JWT "a JWT"
#define KEY "a private key block"
#define OPENAI "an OpenAI API key"
#define GITHUB "a GitHub token"
#define SLACK "a Slack token"
#define AWS "an AWS access key id"
#define GOOGLE "a Google API key"
#define BEARER "a Bearer token"
#define ARCHIVE "an archive or app package path"
#define ARCHIVE_FILE "an archive or app package file"
#define STRIPE "a Stripe secret key"
#define NPM "an npm token"
#define GITLAB "a GitLab token"
#define HF "a Hugging Face token"
#define AWS_SECRET "an AWS secret access key"
#define URL_PASSWORD "a URL with a password"
#define PEM_BODY "a PEM key body (base64 lines of 64 characters)"
#define KEY_FILE "a key or certificate file"
#define KEY_PATH "a key or certificate file path"
#define B64 "a base64-encoded secret"
#define RANDOM "a high-entropy token (a generated key?)"

/* A sample JWT (header.payload.signature) and a sample GitHub token body. */
#define SAMPLE_JWT "eyJ" "hbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk"
#define SAMPLE_GHP "ghp_" "EXAMPLE0123456789abcdefEXAMPLE012345"

/* One secret_scan call and the label it must return (NULL: no secret). */
struct scan_case {
	const char *text;
	enum secret_field field;
	const char *label;
};

/* One secret_scan_json call on parsed JSON text and the label it must return. */
struct json_case {
	const char *json;
	const char *label;
};

/* Asserts that a scan returned exactly the expected label, or NULL when none is expected. */
static void test_expect_label(const char *got, const char *want)
{
	if (want)
		assert_string_equal(got, want);
	else
		assert_null(got);
}

/* Runs one scan_case row. */
static void test_scan_case(void **state)
{
	const struct scan_case *c = *state;
	test_expect_label(secret_scan(c->text, c->field), c->label);
}

/* Runs one json_case row: parses the JSON, scans it, frees it. */
static void test_json_case(void **state)
{
	const struct json_case *c = *state;
	cJSON *json = cJSON_Parse(c->json);
	assert_non_null(json);
	const char *got = secret_scan_json(json);
	cJSON_Delete(json);
	test_expect_label(got, c->label);
}

/* Checks that a NULL JSON tree holds no secret. */
static void test_json_null(void **state)
{
	(void)state;
	assert_null(secret_scan_json(NULL));
}

#define SCAN(name_, text_, field_, label_) \
	{ .name = (name_), .test_func = test_scan_case, \
	  .initial_state = &(struct scan_case){ (text_), (field_), (label_) } }
#define TEXT_HIT(name_, text_, label_) SCAN(name_, text_, SECRET_TEXT, label_)
#define TEXT_MISS(name_, text_) SCAN(name_, text_, SECRET_TEXT, NULL)
#define PATH_HIT(name_, text_, label_) SCAN(name_, text_, SECRET_PATH, label_)
#define PATH_MISS(name_, text_) SCAN(name_, text_, SECRET_PATH, NULL)
#define JSON(name_, json_, label_) \
	{ .name = (name_), .test_func = test_json_case, \
	  .initial_state = &(struct json_case){ (json_), (label_) } }

static const struct CMUnitTest secret_tests[] = {
	/* JWT */
	TEXT_HIT("jwt after token=", "token=" SAMPLE_JWT, JWT),
	TEXT_HIT("jwt inside json text",
		 "{\"id_token\":\"eyJ" "hbGciOiJSUzI1NiJ9.eyJpc3MiOiJleGFtcGxlIn0.c2lnbmF0dXJlLWV4YW1wbGU\"}", JWT),
	TEXT_HIT("jwt sent as bearer is labelled jwt", "Authorization: Bearer " SAMPLE_JWT, JWT),
	TEXT_MISS("jwt with short segments", "see eyJhbGciOiJ9.short.sig for the header"),
	TEXT_MISS("jwt prefix only", "version eyJ.1.2 of the schema"),

	/* private key blocks */
	TEXT_HIT("rsa private key block",
		 "-----BEGIN " "RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----", KEY),
	TEXT_HIT("openssh private key in text", "key: -----BEGIN " "OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXk=", KEY),
	TEXT_HIT("pkcs8 private key", "-----BEGIN " "PRIVATE KEY-----\nMIIE", KEY),
	TEXT_HIT("encrypted private key", "pem=-----BEGIN " "ENCRYPTED PRIVATE KEY-----", KEY),
	TEXT_HIT("ec private key", "-----BEGIN " "EC PRIVATE KEY-----", KEY),
	TEXT_HIT("dsa private key", "-----BEGIN " "DSA PRIVATE KEY-----", KEY),
	TEXT_HIT("pgp private key block", "armor: -----BEGIN " "PGP PRIVATE KEY BLOCK-----", KEY),
	TEXT_MISS("public key block", "-----BEGIN PUBLIC KEY-----\nMIIBIjAN\n-----END PUBLIC KEY-----"),
	TEXT_MISS("certificate block", "-----BEGIN CERTIFICATE-----\nMIIDdzCC"),
	TEXT_MISS("private key prose", "keep the private key offline and rotate it yearly"),

	/* OpenAI */
	TEXT_HIT("openai project key", "OPENAI_API_KEY=sk-" "proj-EXAMPLEexample0123456789_abc", OPENAI),
	TEXT_HIT("openai key in prose", "use sk-" "EXAMPLE0123456789abcdefEXAMPLE for the call", OPENAI),
	TEXT_HIT("openai service account key", "\"sk-" "svcacct-EXAMPLE0123456789abcdef\"", OPENAI),
	TEXT_MISS("sk- inside a word", "risk-assessment-notes-for-the-long-campaign"),
	TEXT_MISS("sk- after a hyphen", "task-sk-" "0123456789abcdefghijklmnop"),
	TEXT_MISS("short sk-abc", "call sk-abc now"),
	TEXT_MISS("sk- with 19 chars", "sk-" "0123456789abcdefghi"),

	/* GitHub */
	TEXT_HIT("github classic token", "token=" SAMPLE_GHP, GITHUB),
	TEXT_HIT("github server token in url",
		 "git clone https://x-access-token:ghs_" "0123456789EXAMPLEexample0123456789@github.com/o/r", GITHUB),
	TEXT_HIT("github fine-grained pat", "GH_TOKEN=github_pat_" "11EXAMPLE0_0123456789abcdefEXAMPLE", GITHUB),
	TEXT_MISS("github prefix short", "ghp_" "short123 is not a token"),
	TEXT_MISS("github token with 29 chars", "ghp_" "0123456789012345678901234567X"),

	/* Slack */
	TEXT_HIT("slack bot token", "SLACK_BOT_TOKEN=xoxb-" "1234567890-0987654321-EXAMPLEexample", SLACK),
	TEXT_HIT("slack user token in prose", "paste xoxp-" "EXAMPLE-0123456789 into the app", SLACK),
	TEXT_HIT("slack client token", "cookie xoxc-" "1234567890-EXAMPLE", SLACK),
	TEXT_HIT("slack refresh token", "xoxe-1-" "EXAMPLEexample0123", SLACK),
	TEXT_MISS("slack prefix short", "xoxb-" "12345"),

	/* AWS */
	TEXT_HIT("aws key id in config", "aws_access_key_id = AKIA" "IOSFODNN7EXAMPLE", AWS),
	TEXT_HIT("aws session key id", "creds: ASIA" "EXAMPLE12345678Z, expires soon", AWS),
	TEXT_MISS("aws key id not at word start", "XAKIA" "IOSFODNN7EXAMPLE"),
	TEXT_MISS("aws key id too short", "AKIA" "IOSFODNN7EXAMPL"),

	/* Google */
	TEXT_HIT("google key in query", "https://maps.googleapis.com/maps/api/js?key=AIza" "SyEXAMPLE0123456789abcdefEXAMPLE_-0&callback=init", GOOGLE),
	TEXT_HIT("google key assignment", "GOOGLE_API_KEY=AIza" "SyEXAMPLE0123456789abcdefEXAMPLE_-0", GOOGLE),
	TEXT_MISS("google prefix short", "AIza" "SyEXAMPLEshort"),

	/* Bearer */
	TEXT_HIT("bearer header", "Authorization: Bearer abcdef0123456789ABCDEF", BEARER),
	TEXT_HIT("lowercase bearer in curl", "curl -H 'authorization: bearer 0123456789abcdef.gh~ij+kl/mn='", BEARER),
	TEXT_MISS("bearer followed by a short word", "Bearer of bad news arrives at noon"),
	TEXT_MISS("bearer token prose", "send the Bearer token later"),
	TEXT_MISS("bearer with 15 chars", "the bearer 0123456789abcde"),

	/* archive and app package paths */
	PATH_HIT("zip path", "out/release.zip", ARCHIVE),
	PATH_HIT("tar.gz path", "backups/db.tar.gz", ARCHIVE),
	PATH_HIT("apk path with query", "dist/app-release.apk?download=1", ARCHIVE),
	PATH_HIT("uppercase ipa url with fragment", "https://cdn.example.com/builds/App.IPA#latest", ARCHIVE),
	PATH_HIT("aab path", "store/bundle.aab", ARCHIVE),
	PATH_HIT("7z path", "old/x.7z", ARCHIVE),
	PATH_HIT("tgz path", "logs.tgz", ARCHIVE),
	PATH_HIT("bz2 path", "dump.sql.bz2", ARCHIVE),
	PATH_HIT("xz path", "image.raw.xz", ARCHIVE),
	PATH_HIT("rar path", "assets.rar", ARCHIVE),
	PATH_HIT("tar path", "src.tar", ARCHIVE),
	PATH_HIT("path also checked for text secrets", "tokens/" SAMPLE_GHP ".txt", GITHUB),
	PATH_MISS("mp4 path", "renders/final.mp4"),
	PATH_MISS("png path", "images/hero.png"),
	PATH_MISS("zip in a file name", "docs/zip-format.md"),
	PATH_MISS("archive checksum file", "out/release.zip.sha256"),
	PATH_MISS("compression words in a name", "notes/gzip-vs-xz.txt"),
	TEXT_MISS("zip as a word in text", "make a zip later"),
	TEXT_HIT("zip file name in text", "release.zip", ARCHIVE_FILE),
	TEXT_HIT("zip path in text", "out/release.zip", ARCHIVE_FILE),
	TEXT_HIT("ipa mentioned in prose", "upload MyApp.ipa to the store tonight", ARCHIVE_FILE),
	TEXT_MISS("zip checksum in text", "compare with release.zip.sha256 first"),

	/* Stripe, npm, GitLab, Hugging Face */
	TEXT_HIT("stripe live key", "STRIPE_KEY=sk_" "live_EXAMPLE0123456789abcdef", STRIPE),
	TEXT_HIT("stripe restricted test key", "rk_" "test_EXAMPLE0123456789abcdef in the config", STRIPE),
	TEXT_MISS("stripe prefix short", "sk_" "live_short"),
	TEXT_HIT("npm token", "//registry.npmjs.org/:_authToken=npm_" "EXAMPLE0123456789abcdefEXAMPLE012345", NPM),
	TEXT_MISS("npm token too short", "npm_" "EXAMPLE0123"),
	TEXT_HIT("gitlab personal token", "GL_TOKEN=glpat-" "EXAMPLE0123456789abcd", GITLAB),
	TEXT_MISS("gitlab prefix short", "glpat-" "short"),
	TEXT_HIT("hugging face token", "HF_TOKEN=hf_" "EXAMPLEexampleEXAMPLEexampleABCDEF", HF),
	TEXT_MISS("hf_ in a word", "shelf_" "EXAMPLEexampleEXAMPLEexampleABCDEF"),

	/* AWS secret access keys, URLs with passwords, PEM bodies, key files */
	TEXT_HIT("aws secret key in config",
		 "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/" "bPxRfiCYEXAMPLEKEY", AWS_SECRET),
	TEXT_MISS("aws secret prose", "ask ops for the aws secret key before the demo"),
	TEXT_HIT("postgres url with password", "DATABASE_URL=postgres://" "app:s3cret@db.internal:5432/app", URL_PASSWORD),
	TEXT_HIT("https url with password", "clone https://" "bot:hunter2@git.example.com/r.git", URL_PASSWORD),
	TEXT_MISS("url with a user only", "ssh://git@github.com/o/r.git"),
	TEXT_MISS("url with a port", "http://localhost:8080/path"),
	TEXT_HIT("pem body without its header",
		 "MIIEowIBAAKCAQEAx4UbaDzY5gjR8qs3cKSrcRbZ7lDkqDoNpIgpaYZ0qJFbC0y9vCJj\n"
		 "nGQkgHvDDbdhbsQm7oLL9gd1aWsBaDoHHv8yMJmhq1Yb9eRqMKl4uPrrKLEqdtKyN3Ou", PEM_BODY),
	TEXT_HIT("p12 file in text", "the signing cert is dist/ios.p12, ask first", KEY_FILE),
	TEXT_HIT("pem file in text", "copy server.pem to the host", KEY_FILE),
	PATH_HIT("key path", "secrets/deploy.key", KEY_PATH),
	PATH_HIT("pfx path (the text rule names it)", "certs/Client.PFX", KEY_FILE),
	TEXT_MISS("key as a word in text", "the key.value pairs and a .key suffix"),

	/* base64-wrapped tokens and random-looking keys */
	TEXT_HIT("base64 of a github token", "Z2hwX0VYQU1QTEUwMTIzNDU2Nzg5YWJjZGVmRVhBTVBMRTAxMjM0NQ==", B64),
	TEXT_HIT("base64 of a url with a password", "creds: cG9zdGdyZXM6Ly9hcHA6czNjcmV0QGRiLmludGVybmFsL2FwcA", B64),
	TEXT_MISS("base64 of prose", "VGhlIGNhbXBhaWduIHNoaXBzIHRocmVlIHJlbmRlcnMgdG9tb3Jyb3c="),
	TEXT_HIT("random 40-character key", "secret: Xk9pQ2vR7tLmN4wZ8yB3cF6hJ1sD5gA0eUiOoPq", RANDOM),
	TEXT_MISS("camel case identifier", "RenderQueueWorkerForTheSpringLaunchCampaign2026"),
	TEXT_MISS("conveyor command id", "command-b03aa1be-bc34-4394-9fcd-cb2a34adb212"),
	TEXT_MISS("git commit hash", "fixed in 7cb32c0e1f9a3b5d7c2e4f6a8b0c1d3e5f7a9b2c"),
	TEXT_MISS("rollout file name", "rollout-2026-01-01T00-00-00-3f1c2a9e-7b4d-4e8a-9c1f-2d3e4f5a6b7c.jsonl"),

	/* plain values */
	TEXT_MISS("prose", "The campaign ships three renders tomorrow; ask the key holder before publishing."),
	TEXT_MISS("uuid", "3f1c2a9e-7b4d-4e8a-9c1f-2d3e4f5a6b7c"),
	TEXT_MISS("slot id", "campaign-slot-3f1c2a9e-7b4d-4e8a-9c1f-2d3e4f5a6b7c"),
	TEXT_MISS("sha256 digest", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
	TEXT_MISS("empty string", ""),
	TEXT_MISS("null text", NULL),
	PATH_MISS("null path", NULL),

	/* JSON trees */
	JSON("json nested object and array",
	     "{\"campaign\":{\"steps\":[{\"env\":{\"GH\":\"" SAMPLE_GHP "\"}}]}}", GITHUB),
	JSON("json string array under plain key", "{\"notes\":[\"ok\",\"Authorization: Bearer abcdef0123456789ABCDEF\"]}", BEARER),
	JSON("json key is a secret", "{\"AKIA" "IOSFODNN7EXAMPLE\":true}", AWS),
	JSON("json path key with archive", "{\"artifact_path\":\"build/app.ipa\"}", ARCHIVE),
	JSON("json non-path key with archive", "{\"note\":\"build/app.ipa\"}", ARCHIVE_FILE),
	JSON("json file array with archive", "{\"files\":[\"a.png\",\"b.tar.gz\"]}", ARCHIVE),
	JSON("json path key any case", "{\"Output_FILE\":\"x.ZIP\"}", ARCHIVE),
	JSON("json path key with text secret", "{\"file\":\"" SAMPLE_JWT "\"}", JWT),
	JSON("json non-string values ignored",
	     "{\"count\":42,\"ok\":true,\"none\":null,\"ratio\":1.5,\"file_sizes\":[1,2,3]}", NULL),
	JSON("json clean tree",
	     "{\"title\":\"Spring launch\",\"slot\":\"campaign-slot-3f1c2a9e\",\"renders\":[\"renders/final.mp4\"],"
	     "\"output_path\":\"images/hero.png\"}", NULL),
	JSON("json top-level secret string", "\"" SAMPLE_GHP "\"", GITHUB),
	JSON("json top-level array is text", "[\"release.zip\"]", ARCHIVE_FILE),
	JSON("json url with password under a plain key", "{\"db\":\"mysql://root:" "pw123@10.0.0.1/app\"}", URL_PASSWORD),
	{ .name = "json null tree", .test_func = test_json_null },
};

/* Runs every row of the secret test table. */
int main(void)
{
	return cmocka_run_group_tests(secret_tests, NULL, NULL);
}
