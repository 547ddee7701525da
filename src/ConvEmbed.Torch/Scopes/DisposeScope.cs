namespace ConvEmbed.Torch;

/// <summary>
/// Frees every tensor created inside it (on this thread) when disposed, so temporaries of a training step
/// need no manual Dispose. Scopes nest; <see cref="Tensor.MoveToOuterScope"/> hands a result to the caller.
/// </summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic] private static DisposeScope? current;

    // Reference identity: Tensor does not override Equals.
    private readonly HashSet<Tensor> owned = new(ReferenceEqualityComparer.Instance);
    private bool disposed;

    private readonly int thread = Environment.CurrentManagedThreadId;

    private DisposeScope(DisposeScope? outer) => Outer = outer;

    internal static DisposeScope? Current => current;

    internal DisposeScope? Outer { get; }

    /// <summary>Number of live tensors the scope will free (for tests and diagnostics).</summary>
    public int Count => owned.Count;

    public static DisposeScope Enter() => current = new DisposeScope(current);

    internal void Attach(Tensor t)
    {
        if (disposed) throw new ObjectDisposedException(nameof(DisposeScope));
        owned.Add(t);
        t.Scope = this;
    }

    internal void Forget(Tensor t) => owned.Remove(t);

    /// <summary>
    /// Frees the scope's tensors. A scope is thread-static: one that ends on another thread than it began on (an
    /// <c>await</c> inside it) would leave that thread's scope chain wrong, so its tensors are still freed and the
    /// mistake is reported with <see cref="InvalidOperationException"/>.
    /// </summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        if (Environment.CurrentManagedThreadId != thread)
        {
            foreach (var t in owned)
            {
                t.Scope = null;
                t.Handle.Dispose();
            }
            owned.Clear();
            throw new InvalidOperationException(
                "A DisposeScope ended on another thread than it began on: keep the work inside a scope synchronous (no await inside it).");
        }
        foreach (var t in owned)
        {
            t.Scope = null;
            t.Handle.Dispose();
        }
        owned.Clear();
        // Normally LIFO; if an inner scope is left open, unwinding past it restores our outer scope anyway.
        if (current == this || current is not null && IsInside(current)) current = Outer;
    }

    private bool IsInside(DisposeScope s)
    {
        for (var x = s.Outer; x is not null; x = x.Outer)
            if (x == this) return true;
        return false;
    }
}
