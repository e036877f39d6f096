// Loads libcurl with dlopen and fills in its function table, once per process.
#include "CCurlShim.h"
#include "curl_abi.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

__attribute__((visibility("hidden"))) curl_functions ccurl_api;

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
#define LOAD(field, symbol)                                                                       \
    do {                                                                                          \
        *(void **)(&ccurl_api.field) = dlsym(library, symbol);                                    \
        if (ccurl_api.field == NULL) {                                                            \
            snprintf(load_error, sizeof load_error, "%s has no symbol %s", library_name, symbol); \
            return;                                                                               \
        }                                                                                         \
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
    if (ccurl_api.global_init(CURL_GLOBAL_ALL) != CURLE_OK) {
        snprintf(load_error, sizeof load_error, "curl_global_init failed");
    }
}

const char *ccurl_load(void) {
    pthread_once(&load_once, load_library);
    return load_error[0] == 0 ? NULL : load_error;
}

