// Tensor lifetime, creation, metadata, data transfer and autograd entry points.
#include "shim.h"

namespace {
// Device codes: 0 cpu, 1 cuda, 2 meta (shapes without data: how the tests prove placement without a GPU).
at::Device device_from_code(int device) {
  return device == 1 ? at::Device(at::kCUDA) : device == 2 ? at::Device(at::kMeta) : at::Device(at::kCPU);
}
at::TensorOptions opts(int dtype, int device) {
  return at::TensorOptions().dtype(ce::dtype_from_code(dtype)).device(device_from_code(device));
}
at::IntArrayRef dims(const int64_t* shape, int ndim) { return at::IntArrayRef(shape, (size_t)ndim); }
}  // namespace

CE_API void ce_tensor_free(TensorH t) { delete t; }

// Copies `data` (host memory laid out as `shape`, row-major) into a new tensor of `dtype` on `device`.
CE_API TensorH ce_tensor_from_data(const void* data, const int64_t* shape, int ndim, int dtype, int device) {
  CE_TENSOR(at::from_blob(const_cast<void*>(data), dims(shape, ndim), opts(dtype, 0))
                .to(opts(dtype, device), /*non_blocking=*/false, /*copy=*/true))
}
CE_API TensorH ce_tensor_zeros(const int64_t* shape, int ndim, int dtype, int device) {
  CE_TENSOR(at::zeros(dims(shape, ndim), opts(dtype, device)))
}
CE_API TensorH ce_tensor_ones(const int64_t* shape, int ndim, int dtype, int device) {
  CE_TENSOR(at::ones(dims(shape, ndim), opts(dtype, device)))
}
CE_API TensorH ce_tensor_full(const int64_t* shape, int ndim, double value, int dtype, int device) {
  CE_TENSOR(at::full(dims(shape, ndim), value, opts(dtype, device)))
}
CE_API TensorH ce_tensor_randn(const int64_t* shape, int ndim, int dtype, int device) {
  CE_TENSOR(at::randn(dims(shape, ndim), opts(dtype, device)))
}
CE_API TensorH ce_tensor_rand(const int64_t* shape, int ndim, int dtype, int device) {
  CE_TENSOR(at::rand(dims(shape, ndim), opts(dtype, device)))
}
CE_API TensorH ce_tensor_arange(int64_t start, int64_t end, int64_t step, int dtype, int device) {
  CE_TENSOR(at::arange(start, end, step, opts(dtype, device)))
}

CE_API int ce_tensor_ndim(TensorH t) { return (int)t->dim(); }
CE_API int ce_tensor_shape(TensorH t, int64_t* out) {
  CE_TRY
  for (int64_t i = 0; i < t->dim(); i++) out[i] = t->size(i);
  return 0;
  CE_CATCH(-1)
}
CE_API int ce_tensor_dtype(TensorH t) { return ce::dtype_to_code(t->scalar_type()); }
CE_API int ce_tensor_device(TensorH t) { return t->is_cuda() ? 1 : t->is_meta() ? 2 : 0; }
CE_API int64_t ce_tensor_numel(TensorH t) { return t->numel(); }

// Copies the tensor's elements (converted to `dtype`, moved to CPU, made contiguous) into `out`.
CE_API int ce_tensor_copy_to(TensorH t, void* out, int64_t nbytes, int dtype) {
  CE_TRY
  auto c = t->detach().to(at::kCPU, ce::dtype_from_code(dtype)).contiguous();
  if ((int64_t)c.nbytes() != nbytes) throw std::invalid_argument("destination size does not match tensor size");
  std::memcpy(out, c.data_ptr(), nbytes);
  return 0;
  CE_CATCH(-1)
}
CE_API int ce_tensor_item(TensorH t, double* out) {
  CE_TRY *out = t->item<double>(); return 0; CE_CATCH(-1)
}

CE_API TensorH ce_tensor_to(TensorH t, int dtype, int device) { CE_TENSOR(t->to(opts(dtype, device))) }
// Moves a parameter or buffer in place, as torch.nn.Module._apply does: `param.data = moved` where the tensor types
// allow a shallow copy (CPU <-> CUDA: the autograd identity stays), else the handle is pointed at a new leaf with the
// same requires_grad (meta, whose tensor type set_data refuses). Either way the caller's handle now lives on `device`.
CE_API int ce_tensor_move_data(TensorH t, int device) {
  CE_TRY
  c10::NoGradGuard no_grad;
  at::Tensor moved = t->to(device_from_code(device));
  if (at::_has_compatible_shallow_copy_type(*t, moved)) {
    t->set_data(moved);
  } else {
    bool grad = t->requires_grad();
    *t = moved.detach();
    if (grad) t->requires_grad_(true);
  }
  return 0;
  CE_CATCH(-1)
}
CE_API TensorH ce_tensor_clone(TensorH t) { CE_TENSOR(t->clone()) }
CE_API TensorH ce_tensor_contiguous(TensorH t) { CE_TENSOR(t->contiguous()) }
CE_API TensorH ce_tensor_detach(TensorH t) { CE_TENSOR(t->detach()) }
// A second handle to the same tensor, so one tensor can be owned twice (e.g. a parameter and its view).
CE_API TensorH ce_tensor_alias(TensorH t) { CE_TENSOR(*t) }

// ---- autograd
CE_API int ce_tensor_requires_grad(TensorH t) { return t->requires_grad() ? 1 : 0; }
CE_API int ce_tensor_set_requires_grad(TensorH t, int on) { CE_VOID(t->requires_grad_(on != 0)) }
// Returns nullptr without an error when the gradient is undefined (C# checks ce_last_error is untouched via flag).
CE_API TensorH ce_tensor_grad(TensorH t, int* defined) {
  CE_TRY
  const auto& g = t->grad();
  *defined = g.defined() ? 1 : 0;
  return g.defined() ? ce::wrap(g) : nullptr;
  CE_CATCH(nullptr)
}
CE_API int ce_tensor_zero_grad(TensorH t) { CE_VOID(t->mutable_grad().reset()) }
CE_API int ce_tensor_backward(TensorH t) { CE_VOID(t->backward()) }

// ---- in-place updates (optimizers, parameter loading); they bypass autograd by design.
CE_API int ce_tensor_copy_(TensorH t, TensorH src) { CE_VOID(c10::NoGradGuard g; t->copy_(*src)) }
CE_API int ce_tensor_zero_(TensorH t) { CE_VOID(c10::NoGradGuard g; t->zero_()) }
CE_API int ce_tensor_fill_(TensorH t, double v) { CE_VOID(c10::NoGradGuard g; t->fill_(v)) }
CE_API int ce_tensor_mul_scalar_(TensorH t, double v) { CE_VOID(c10::NoGradGuard g; t->mul_(v)) }
CE_API int ce_tensor_mul_(TensorH t, TensorH o) { CE_VOID(c10::NoGradGuard g; t->mul_(*o)) }
// Integral tensors (e.g. BatchNorm's num_batches_tracked) reject a floating alpha, so pass it as an integer there.
CE_API int ce_tensor_add_(TensorH t, TensorH o, double alpha) {
  CE_VOID(c10::NoGradGuard g; t->add_(*o, t->is_floating_point() ? at::Scalar(alpha) : at::Scalar((int64_t)alpha)))
}
CE_API int ce_tensor_addcmul_(TensorH t, TensorH a, TensorH b, double value) {
  CE_VOID(c10::NoGradGuard g; t->addcmul_(*a, *b, value))
}
CE_API int ce_tensor_addcdiv_(TensorH t, TensorH a, TensorH b, double value) {
  CE_VOID(c10::NoGradGuard g; t->addcdiv_(*a, *b, value))
}
CE_API int ce_tensor_uniform_(TensorH t, double lo, double hi) { CE_VOID(c10::NoGradGuard g; t->uniform_(lo, hi)) }
