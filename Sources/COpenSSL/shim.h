#ifndef DISCLOSURE_LEDGER_COPENSSL_SHIM_H
#define DISCLOSURE_LEDGER_COPENSSL_SHIM_H
#include <openssl/evp.h>
#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#endif
