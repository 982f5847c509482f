#ifndef DISCLOSURE_LEDGER_COPENSSL_SHIM_H
#define DISCLOSURE_LEDGER_COPENSSL_SHIM_H
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/crypto.h>
#endif
