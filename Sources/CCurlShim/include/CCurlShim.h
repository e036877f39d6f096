// A blocking HTTP request through libcurl, loaded at run time with dlopen.
//
// FoundationNetworking (URLSession on Linux) links libcurl but offers no way to hand it a CA file,
// so a custom CA bundle (AWS_CA_BUNDLE, profile ca_bundle) needs libcurl itself. No curl headers
// are needed to build this: the few prototypes and option numbers used are declared in the .c
// file from curl's documented, stable ABI (libcurl.so.4).
#ifndef CCURLSHIM_H
#define CCURLSHIM_H

#include <stddef.h>
#include <stdint.h>

/// A set of idle libcurl handles (each keeps its connections open for reuse), safe across threads.
typedef struct ccurl_pool ccurl_pool;

/// One request. Every pointer must stay valid until `ccurl_perform` returns.
typedef struct {
    const char *method;
    const char *url;
    /// Header lines exactly as sent ("Name: value", "Name;" for an empty value, "Name:" to remove
    /// one libcurl would add).
    const char *const *headers;
    size_t header_count;
    const uint8_t *body;
    size_t body_length;
    /// Whether to send the body (POST/PUT, or any method with a non-empty body).
    int sends_body;
    /// A PEM file of the only CA certificates to trust, or NULL for libcurl's default store.
    const char *ca_file;
    long connect_timeout_ms;
    long timeout_ms;
    /// Polled about every 50 ms while the request runs; a non-zero answer abandons it.
    int (*is_cancelled)(void *context);
    void *context;
} ccurl_request;

/// The outcome of one request. Free it with `ccurl_response_free`.
typedef struct {
    /// 0 when an answer arrived; a CURLcode otherwise; -1 when libcurl could not be loaded.
    int curl_code;
    /// Non-zero when `is_cancelled` stopped the request.
    int was_cancelled;
    /// The final HTTP status.
    long status;
    /// Every header line received, with CRLFs, including interim and proxy CONNECT answers.
    uint8_t *headers;
    size_t headers_length;
    uint8_t *body;
    size_t body_length;
    /// libcurl's detailed message (CURLOPT_ERRORBUFFER), or why loading failed.
    char error[256];
} ccurl_response;

/// Makes a pool keeping at most `max_idle` idle handles; NULL when out of memory.
ccurl_pool *ccurl_pool_create(size_t max_idle);

/// Closes every idle handle and frees the pool; no request may be running on it.
void ccurl_pool_destroy(ccurl_pool *pool);

/// Loads libcurl once per process; returns NULL when it is usable, else a message.
const char *ccurl_load(void);

/// Performs a request, blocking the calling thread until it ends, and fills `response`.
void ccurl_perform(ccurl_pool *pool, const ccurl_request *request, ccurl_response *response);

/// Frees the buffers of a response.
void ccurl_response_free(ccurl_response *response);

#endif
