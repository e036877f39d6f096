// Runs one HTTP request through libcurl's multi interface, with libcurl loaded by dlopen
// (curl_library.c) and declared from its ABI (curl_abi.h).
#include "CCurlShim.h"
#include "curl_abi.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    if (pair.easy != NULL) ccurl_api.easy_cleanup(pair.easy);
    if (pair.multi != NULL) ccurl_api.multi_cleanup(pair.multi);
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
    pair->multi = ccurl_api.multi_init();
    pair->easy = ccurl_api.easy_init();
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
        ccurl_api.easy_setopt(easy, CURLOPT_POST, 1L);
        ccurl_api.easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)request->body_length);
        // A non-NULL pointer even for an empty body, so libcurl never reads a string from it.
        ccurl_api.easy_setopt(easy, CURLOPT_POSTFIELDS, request->body != NULL ? (const void *)request->body : (const void *)"");
        if (strcmp(request->method, "POST") != 0) ccurl_api.easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request->method);
    } else if (strcmp(request->method, "HEAD") == 0) {
        ccurl_api.easy_setopt(easy, CURLOPT_NOBODY, 1L);
    } else {
        ccurl_api.easy_setopt(easy, CURLOPT_HTTPGET, 1L);
        if (strcmp(request->method, "GET") != 0) ccurl_api.easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request->method);
    }
}

// Drives the transfer, polling the cancellation check between socket waits of at most 50 ms.
static CURLcode run_transfer(CURLM *multi, CURL *easy, const ccurl_request *request, int *was_cancelled) {
    if (ccurl_api.multi_add_handle(multi, easy) != 0) return CURLE_FAILED_INIT;
    CURLcode result = CURLE_OK;
    int running = 1;
    while (running) {
        if (request->is_cancelled != NULL && request->is_cancelled(request->context)) {
            *was_cancelled = 1;
            result = CURLE_ABORTED_BY_CALLBACK;
            break;
        }
        if (ccurl_api.multi_perform(multi, &running) != 0) {
            result = CURLE_FAILED_INIT;
            break;
        }
        if (running) ccurl_api.multi_wait(multi, NULL, 0, 50, NULL);
    }
    int queued = 0;
    CURLMsg *message;
    while (!*was_cancelled && (message = ccurl_api.multi_info_read(multi, &queued)) != NULL) {
        if (message->msg == CURLMSG_DONE && message->easy_handle == easy) result = message->data.result;
    }
    // Removing the handle ends an unfinished transfer and closes its connection.
    ccurl_api.multi_remove_handle(multi, easy);
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
    ccurl_api.easy_reset(easy);
    growing_buffer body = {&response->body, &response->body_length, 0};
    growing_buffer headers = {&response->headers, &response->headers_length, 0};
    ccurl_api.easy_setopt(easy, CURLOPT_ERRORBUFFER, response->error);
    ccurl_api.easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    ccurl_api.easy_setopt(easy, CURLOPT_URL, request->url);
    ccurl_api.easy_setopt(easy, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    ccurl_api.easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
    ccurl_api.easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, request->connect_timeout_ms);
    ccurl_api.easy_setopt(easy, CURLOPT_TIMEOUT_MS, request->timeout_ms);
    ccurl_api.easy_setopt(easy, CURLOPT_WRITEFUNCTION, (write_callback)append_bytes);
    ccurl_api.easy_setopt(easy, CURLOPT_WRITEDATA, (void *)&body);
    ccurl_api.easy_setopt(easy, CURLOPT_HEADERFUNCTION, (write_callback)append_bytes);
    ccurl_api.easy_setopt(easy, CURLOPT_HEADERDATA, (void *)&headers);
    ccurl_api.easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
    ccurl_api.easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
    if (request->ca_file != NULL) {
        // Only the bundle's certificates are trusted, as botocore does with a CA bundle.
        ccurl_api.easy_setopt(easy, CURLOPT_CAINFO, request->ca_file);
        ccurl_api.easy_setopt(easy, CURLOPT_CAPATH, (const char *)NULL);
    }
    set_method_and_body(easy, request);
    struct curl_slist *list = NULL;
    for (size_t index = 0; index < request->header_count; index++) {
        struct curl_slist *longer = ccurl_api.slist_append(list, request->headers[index]);
        if (longer == NULL) {
            ccurl_api.slist_free_all(list);
            return_pair(pool, pair);
            response->curl_code = CURLE_OUT_OF_MEMORY;
            return;
        }
        list = longer;
    }
    ccurl_api.easy_setopt(easy, CURLOPT_HTTPHEADER, list);

    CURLcode result = run_transfer(pair.multi, easy, request, &response->was_cancelled);
    long status = 0;
    ccurl_api.easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    response->status = status;
    response->curl_code = result;
    if (result != CURLE_OK && response->error[0] == 0) {
        snprintf(response->error, sizeof response->error, "%s", ccurl_api.easy_strerror(result));
    }
    // The next user sets its own options; nothing may point at this request's memory.
    ccurl_api.easy_setopt(easy, CURLOPT_HTTPHEADER, (struct curl_slist *)NULL);
    ccurl_api.easy_setopt(easy, CURLOPT_ERRORBUFFER, (char *)NULL);
    ccurl_api.slist_free_all(list);
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
