// libcurl's public ABI as this shim uses it (include/curl/curl.h and multi.h, stable since 7.x),
// declared here so that building needs no curl headers: option numbers are CURLOPTTYPE_*
// (0 long, 10000 pointer, 20000 function, 30000 off_t) plus the option's number.
#ifndef CCURLSHIM_CURL_ABI_H
#define CCURLSHIM_CURL_ABI_H

#include <stddef.h>

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

typedef struct {
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
} curl_functions;

/// The functions of the loaded libcurl, filled in once by `ccurl_load`.
extern curl_functions ccurl_api;


#endif
