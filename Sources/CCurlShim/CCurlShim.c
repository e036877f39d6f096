// Runs one HTTP request through libcurl's multi interface, with libcurl loaded by dlopen.
//
// Declarations below follow curl's public ABI (include/curl/curl.h, multi.h; stable since 7.x):
// option numbers are CURLOPTTYPE_* (0, 10000, 20000, 30000) plus the option's number.
#include "CCurlShim.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// MARK: - libcurl's ABI

typedef void CURL;
typedef void CURLM;
typedef int CURLcode;
typedef int CURLMcode;
typedef long long curl_off_t;

struct curl_slist {
    char *data;
    struct curl_slist *next;
};

typedef struct {
    int msg;
    CURL *easy_handle;
    union {
        void *whatever;
        CURLcode result;
    } data;
} CURLMsg;

enum {
    CURLE_OK = 0,
    CURLE_FAILED_INIT = 2,
    CURLE_OUT_OF_MEMORY = 27,
    CURLE_ABORTED_BY_CALLBACK = 42,
    CURLMSG_DONE = 1,
    CURL_GLOBAL_ALL = 3,
    CURL_HTTP_VERSION_1_1 = 2,
    CURLINFO_RESPONSE_CODE = 0x200000 + 2,
};

enum {
    CURLOPT_WRITEDATA = 10001,
    CURLOPT_URL = 10002,
    CURLOPT_ERRORBUFFER = 10010,
    CURLOPT_WRITEFUNCTION = 20011,
    CURLOPT_POSTFIELDS = 10015,
    CURLOPT_HTTPHEADER = 10023,
    CURLOPT_HEADERDATA = 10029,
    CURLOPT_CUSTOMREQUEST = 10036,
    CURLOPT_NOBODY = 44,
    CURLOPT_POST = 47,
    CURLOPT_FOLLOWLOCATION = 52,
    CURLOPT_SSL_VERIFYPEER = 64,
    CURLOPT_CAINFO = 10065,
    CURLOPT_HEADERFUNCTION = 20079,
    CURLOPT_HTTPGET = 80,
    CURLOPT_SSL_VERIFYHOST = 81,
    CURLOPT_HTTP_VERSION = 84,
    CURLOPT_CAPATH = 10097,
    CURLOPT_NOSIGNAL = 99,
    CURLOPT_POSTFIELDSIZE_LARGE = 30120,
    CURLOPT_TIMEOUT_MS = 155,
    CURLOPT_CONNECTTIMEOUT_MS = 156,
};

typedef size_t (*write_callback)(char *, size_t, size_t, void *);

static struct {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    void (*easy_reset)(CURL *);
    CURLcode (*easy_setopt)(CURL *, int, ...);
    CURLcode (*easy_getinfo)(CURL *, int, ...);
    const char *(*easy_strerror)(CURLcode);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
    CURLM *(*multi_init)(void);
    CURLMcode (*multi_cleanup)(CURLM *);
    CURLMcode (*multi_add_handle)(CURLM *, CURL *);
    CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
    CURLMcode (*multi_perform)(CURLM *, int *);
    CURLMcode (*multi_wait)(CURLM *, void *, unsigned int, int, int *);
    CURLMsg *(*multi_info_read)(CURLM *, int *);
} curl;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static char load_error[200];

#if defined(__APPLE__)
static const char *const library_name = "/usr/lib/libcurl.4.dylib";
#else
static const char *const library_name = "libcurl.so.4";
#endif

static void load_library(void) {
    // FoundationNetworking has already loaded this library; dlopen returns the same copy.
    void *library = dlopen(library_name, RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        snprintf(load_error, sizeof load_error, "%s could not be loaded: %s", library_name, dlerror());
        return;
    }
#define LOAD(field, symbol)                                                                                  \
    do {                                                                                                     \
        *(void **)(&curl.field) = dlsym(library, symbol);                                                    \
        if (curl.field == NULL) {                                                                            \
            snprintf(load_error, sizeof load_error, "%s has no symbol %s", library_name, symbol);           \
            return;                                                                                          \
        }                                                                                                    \
    } while (0)
    LOAD(global_init, "curl_global_init");
    LOAD(easy_init, "curl_easy_init");
    LOAD(easy_cleanup, "curl_easy_cleanup");
    LOAD(easy_reset, "curl_easy_reset");
    LOAD(easy_setopt, "curl_easy_setopt");
    LOAD(easy_getinfo, "curl_easy_getinfo");
    LOAD(easy_strerror, "curl_easy_strerror");
    LOAD(slist_append, "curl_slist_append");
    LOAD(slist_free_all, "curl_slist_free_all");
    LOAD(multi_init, "curl_multi_init");
    LOAD(multi_cleanup, "curl_multi_cleanup");
    LOAD(multi_add_handle, "curl_multi_add_handle");
    LOAD(multi_remove_handle, "curl_multi_remove_handle");
    LOAD(multi_perform, "curl_multi_perform");
    LOAD(multi_wait, "curl_multi_wait");
    LOAD(multi_info_read, "curl_multi_info_read");
#undef LOAD
    // Reference-counted, so calling it after FoundationNetworking did is harmless.
    if (curl.global_init(CURL_GLOBAL_ALL) != CURLE_OK) {
        snprintf(load_error, sizeof load_error, "curl_global_init failed");
    }
}

const char *ccurl_load(void) {
    pthread_once(&load_once, load_library);
    return load_error[0] == 0 ? NULL : load_error;
}

// MARK: - Handle pool

// An easy handle and the multi handle that drives it; the multi handle keeps the connection cache.
typedef struct {
    CURLM *multi;
    CURL *easy;
} handle_pair;

struct ccurl_pool {
    pthread_mutex_t lock;
    handle_pair *idle;
    size_t idle_count;
    size_t max_idle;
};

ccurl_pool *ccurl_pool_create(size_t max_idle) {
    ccurl_pool *pool = calloc(1, sizeof *pool);
    if (pool == NULL) return NULL;
    pool->idle = calloc(max_idle > 0 ? max_idle : 1, sizeof(handle_pair));
    if (pool->idle == NULL) {
        free(pool);
        return NULL;
    }
    pool->max_idle = max_idle;
    pthread_mutex_init(&pool->lock, NULL);
    return pool;
}

static void close_pair(handle_pair pair) {
    if (pair.easy != NULL) curl.easy_cleanup(pair.easy);
    if (pair.multi != NULL) curl.multi_cleanup(pair.multi);
}

void ccurl_pool_destroy(ccurl_pool *pool) {
    if (pool == NULL) return;
    for (size_t index = 0; index < pool->idle_count; index++) close_pair(pool->idle[index]);
    pthread_mutex_destroy(&pool->lock);
    free(pool->idle);
    free(pool);
}

static int take_pair(ccurl_pool *pool, handle_pair *pair) {
    pthread_mutex_lock(&pool->lock);
    int found = pool->idle_count > 0;
    if (found) *pair = pool->idle[--pool->idle_count];
    pthread_mutex_unlock(&pool->lock);
    if (found) return 1;
    pair->multi = curl.multi_init();
    pair->easy = curl.easy_init();
    if (pair->multi != NULL && pair->easy != NULL) return 1;
    close_pair(*pair);
    return 0;
}

static void return_pair(ccurl_pool *pool, handle_pair pair) {
    pthread_mutex_lock(&pool->lock);
    int kept = pool->idle_count < pool->max_idle;
    if (kept) pool->idle[pool->idle_count++] = pair;
    pthread_mutex_unlock(&pool->lock);
    if (!kept) close_pair(pair);
}

// MARK: - One request

typedef struct {
    uint8_t **data;
    size_t *length;
    size_t capacity;
} growing_buffer;

static size_t append_bytes(char *bytes, size_t size, size_t count, void *context) {
    growing_buffer *buffer = context;
    size_t added = size * count;
    if (*buffer->length + added > buffer->capacity) {
        size_t capacity = buffer->capacity > 0 ? buffer->capacity : 16384;
        while (capacity < *buffer->length + added) capacity *= 2;
        uint8_t *grown = realloc(*buffer->data, capacity);
        if (grown == NULL) return 0;  // libcurl ends the transfer with CURLE_WRITE_ERROR
        *buffer->data = grown;
        buffer->capacity = capacity;
    }
    memcpy(*buffer->data + *buffer->length, bytes, added);
    *buffer->length += added;
    return added;
}

static void set_method_and_body(CURL *easy, const ccurl_request *request) {
    if (request->sends_body) {
        curl.easy_setopt(easy, CURLOPT_POST, 1L);
        curl.easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)request->body_length);
        // A non-NULL pointer even for an empty body, so libcurl never reads a string from it.
        curl.easy_setopt(easy, CURLOPT_POSTFIELDS, request->body != NULL ? (const void *)request->body : (const void *)"");
        if (strcmp(request->method, "POST") != 0) curl.easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request->method);
    } else if (strcmp(request->method, "HEAD") == 0) {
        curl.easy_setopt(easy, CURLOPT_NOBODY, 1L);
    } else {
        curl.easy_setopt(easy, CURLOPT_HTTPGET, 1L);
        if (strcmp(request->method, "GET") != 0) curl.easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request->method);
    }
}

// Drives the transfer, polling the cancellation check between socket waits of at most 50 ms.
static CURLcode run_transfer(CURLM *multi, CURL *easy, const ccurl_request *request, int *was_cancelled) {
    if (curl.multi_add_handle(multi, easy) != 0) return CURLE_FAILED_INIT;
    CURLcode result = CURLE_OK;
    int running = 1;
    while (running) {
        if (request->is_cancelled != NULL && request->is_cancelled(request->context)) {
            *was_cancelled = 1;
            result = CURLE_ABORTED_BY_CALLBACK;
            break;
        }
        if (curl.multi_perform(multi, &running) != 0) {
            result = CURLE_FAILED_INIT;
            break;
        }
        if (running) curl.multi_wait(multi, NULL, 0, 50, NULL);
    }
    int queued = 0;
    CURLMsg *message;
    while (!*was_cancelled && (message = curl.multi_info_read(multi, &queued)) != NULL) {
        if (message->msg == CURLMSG_DONE && message->easy_handle == easy) result = message->data.result;
    }
    // Removing the handle ends an unfinished transfer and closes its connection.
    curl.multi_remove_handle(multi, easy);
    return result;
}

void ccurl_perform(ccurl_pool *pool, const ccurl_request *request, ccurl_response *response) {
    memset(response, 0, sizeof *response);
    const char *problem = ccurl_load();
    if (problem != NULL) {
        response->curl_code = -1;
        snprintf(response->error, sizeof response->error, "%s", problem);
        return;
    }
    handle_pair pair;
    if (!take_pair(pool, &pair)) {
        response->curl_code = CURLE_OUT_OF_MEMORY;
        return;
    }
    CURL *easy = pair.easy;
    // Keeps the open connections, DNS and TLS session caches; clears every option.
    curl.easy_reset(easy);
    growing_buffer body = {&response->body, &response->body_length, 0};
    growing_buffer headers = {&response->headers, &response->headers_length, 0};
    curl.easy_setopt(easy, CURLOPT_ERRORBUFFER, response->error);
    curl.easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl.easy_setopt(easy, CURLOPT_URL, request->url);
    curl.easy_setopt(easy, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    curl.easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl.easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, request->connect_timeout_ms);
    curl.easy_setopt(easy, CURLOPT_TIMEOUT_MS, request->timeout_ms);
    curl.easy_setopt(easy, CURLOPT_WRITEFUNCTION, (write_callback)append_bytes);
    curl.easy_setopt(easy, CURLOPT_WRITEDATA, (void *)&body);
    curl.easy_setopt(easy, CURLOPT_HEADERFUNCTION, (write_callback)append_bytes);
    curl.easy_setopt(easy, CURLOPT_HEADERDATA, (void *)&headers);
    curl.easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
    curl.easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
    if (request->ca_file != NULL) {
        // Only the bundle's certificates are trusted, as botocore does with a CA bundle.
        curl.easy_setopt(easy, CURLOPT_CAINFO, request->ca_file);
        curl.easy_setopt(easy, CURLOPT_CAPATH, (const char *)NULL);
    }
    set_method_and_body(easy, request);
    struct curl_slist *list = NULL;
    for (size_t index = 0; index < request->header_count; index++) {
        struct curl_slist *longer = curl.slist_append(list, request->headers[index]);
        if (longer == NULL) {
            curl.slist_free_all(list);
            return_pair(pool, pair);
            response->curl_code = CURLE_OUT_OF_MEMORY;
            return;
        }
        list = longer;
    }
    curl.easy_setopt(easy, CURLOPT_HTTPHEADER, list);

    CURLcode result = run_transfer(pair.multi, easy, request, &response->was_cancelled);
    long status = 0;
    curl.easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    response->status = status;
    response->curl_code = result;
    if (result != CURLE_OK && response->error[0] == 0) {
        snprintf(response->error, sizeof response->error, "%s", curl.easy_strerror(result));
    }
    // The next user sets its own options; nothing may point at this request's memory.
    curl.easy_setopt(easy, CURLOPT_HTTPHEADER, (struct curl_slist *)NULL);
    curl.easy_setopt(easy, CURLOPT_ERRORBUFFER, (char *)NULL);
    curl.slist_free_all(list);
    return_pair(pool, pair);
}

void ccurl_response_free(ccurl_response *response) {
    free(response->headers);
    free(response->body);
    response->headers = NULL;
    response->body = NULL;
    response->headers_length = 0;
    response->body_length = 0;
}
