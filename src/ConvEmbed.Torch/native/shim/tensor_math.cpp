// Element-wise arithmetic, reductions and shape operations (all autograd-aware through ATen).
#include "shim.h"

namespace {
at::IntArrayRef dims(const int64_t* d, int n) { return at::IntArrayRef(d, (size_t)n); }
std::vector<at::Tensor> list(TensorH* ts, int n) {
  std::vector<at::Tensor> v;
  v.reserve(n);
  for (int i = 0; i < n; i++) v.push_back(*ts[i]);
  return v;
}
}  // namespace

// Binary ops by code, so one entry point serves + - * / and friends.
CE_API TensorH ce_binary(int op, TensorH a, TensorH b) {
  CE_TRY
  switch (op) {
    case 0: return ce::wrap(at::add(*a, *b));
    case 1: return ce::wrap(at::sub(*a, *b));
    case 2: return ce::wrap(at::mul(*a, *b));
    case 3: return ce::wrap(at::div(*a, *b));
    case 4: return ce::wrap(at::matmul(*a, *b));
    case 5: return ce::wrap(at::pow(*a, *b));
    case 6: return ce::wrap(at::maximum(*a, *b));
    case 7: return ce::wrap(at::minimum(*a, *b));
  }
  throw std::invalid_argument("unknown binary op");
  CE_CATCH(nullptr)
}
CE_API TensorH ce_binary_scalar(int op, TensorH a, double s) {
  CE_TRY
  switch (op) {
    case 0: return ce::wrap(at::add(*a, s));
    case 1: return ce::wrap(at::sub(*a, s));
    case 2: return ce::wrap(at::mul(*a, s));
    case 3: return ce::wrap(at::div(*a, s));
    case 5: return ce::wrap(at::pow(*a, s));
    case 8: return ce::wrap(at::rsub(*a, s));  // s - a
    case 9: return ce::wrap(at::clamp_min(*a, s));
    case 10: return ce::wrap(at::clamp_max(*a, s));
  }
  throw std::invalid_argument("unknown scalar op");
  CE_CATCH(nullptr)
}
CE_API TensorH ce_unary(int op, TensorH a) {
  CE_TRY
  switch (op) {
    case 0: return ce::wrap(at::neg(*a));
    case 1: return ce::wrap(at::exp(*a));
    case 2: return ce::wrap(at::log(*a));
    case 3: return ce::wrap(at::sqrt(*a));
    case 4: return ce::wrap(at::abs(*a));
    case 5: return ce::wrap(at::relu(*a));
    case 6: return ce::wrap(at::gelu(*a));
    case 7: return ce::wrap(at::tanh(*a));
    case 8: return ce::wrap(at::sigmoid(*a));
    case 9: return ce::wrap(a->square());
  }
  throw std::invalid_argument("unknown unary op");
  CE_CATCH(nullptr)
}

// Reductions over `dims` (ndim 0 = all elements). op: 0 sum, 1 mean, 2 var, 3 std, 4 amax.
CE_API TensorH ce_reduce(int op, TensorH a, const int64_t* d, int nd, int keepdim, int unbiased) {
  CE_TRY
  bool kd = keepdim != 0;
  c10::optional<at::IntArrayRef> od = nd == 0 ? c10::nullopt : c10::optional<at::IntArrayRef>(dims(d, nd));
  switch (op) {
    case 0: return ce::wrap(nd == 0 ? a->sum() : at::sum(*a, dims(d, nd), kd));
    case 1: return ce::wrap(nd == 0 ? a->mean() : at::mean(*a, dims(d, nd), kd));
    case 2: return ce::wrap(at::var(*a, od, (int64_t)unbiased, kd));
    case 3: return ce::wrap(at::std(*a, od, (int64_t)unbiased, kd));
    case 4: return ce::wrap(nd == 0 ? a->max() : at::amax(*a, dims(d, nd), kd));
  }
  throw std::invalid_argument("unknown reduction");
  CE_CATCH(nullptr)
}
CE_API TensorH ce_argmax(TensorH a, int64_t dim, int keepdim) { CE_TENSOR(at::argmax(*a, dim, keepdim != 0)) }

CE_API TensorH ce_cat(TensorH* ts, int n, int64_t dim) { CE_TENSOR(at::cat(list(ts, n), dim)) }
CE_API TensorH ce_stack(TensorH* ts, int n, int64_t dim) { CE_TENSOR(at::stack(list(ts, n), dim)) }
CE_API TensorH ce_narrow(TensorH a, int64_t dim, int64_t start, int64_t len) { CE_TENSOR(a->narrow(dim, start, len)) }
CE_API TensorH ce_transpose(TensorH a, int64_t d0, int64_t d1) { CE_TENSOR(a->transpose(d0, d1)) }
CE_API TensorH ce_permute(TensorH a, const int64_t* d, int nd) { CE_TENSOR(a->permute(dims(d, nd))) }
CE_API TensorH ce_reshape(TensorH a, const int64_t* d, int nd) { CE_TENSOR(a->reshape(dims(d, nd))) }
CE_API TensorH ce_expand(TensorH a, const int64_t* d, int nd) { CE_TENSOR(a->expand(dims(d, nd))) }
CE_API TensorH ce_unsqueeze(TensorH a, int64_t dim) { CE_TENSOR(a->unsqueeze(dim)) }
CE_API TensorH ce_squeeze(TensorH a, int64_t dim) { CE_TENSOR(a->squeeze(dim)) }
CE_API TensorH ce_index_select(TensorH a, int64_t dim, TensorH idx) { CE_TENSOR(at::index_select(*a, dim, *idx)) }
