// Shared by every shim translation unit: handle type, error capture at the extern "C" boundary.
#pragma once
#include <ATen/ATen.h>
#include <c10/core/GradMode.h>  // c10::NoGradGuard, c10::GradMode: the names libtorch 1.13 and 2.x share
#include <cstdint>
#include <string>

#define CE_API extern "C" __attribute__((visibility("default")))

// A tensor handle is a heap-allocated at::Tensor (a ref-counted pointer); C# owns exactly one per handle.
using TensorH = at::Tensor*;

namespace ce {
// The last error of the calling thread; C# reads it right after a failed call on the same thread.
void set_error(const char* msg);
inline TensorH wrap(at::Tensor t) { return new at::Tensor(std::move(t)); }
at::ScalarType dtype_from_code(int code);
int dtype_to_code(at::ScalarType t);
}  // namespace ce

// Each API function body runs inside CE_TRY/CE_CATCH: a libtorch exception never crosses into .NET,
// it becomes a failure return value (nullptr or -1) plus the message in ce_last_error().
#define CE_TRY try {
#define CE_CATCH(fail)                                           \
  }                                                              \
  catch (const c10::Error& e) {                                  \
    ce::set_error(e.what_without_backtrace());                   \
    return fail;                                                 \
  }                                                              \
  catch (const std::exception& e) {                              \
    ce::set_error(e.what());                                     \
    return fail;                                                 \
  }                                                              \
  catch (...) {                                                  \
    ce::set_error("unknown native exception");                   \
    return fail;                                                 \
  }

// Wraps an expression producing an at::Tensor into a handle-returning body.
#define CE_TENSOR(expr) CE_TRY return ce::wrap(expr); CE_CATCH(nullptr)
#define CE_VOID(stmt) CE_TRY stmt; return 0; CE_CATCH(-1)
