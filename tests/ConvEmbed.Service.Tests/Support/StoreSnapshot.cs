using Npgsql;

namespace ConvEmbed.Service.Tests.Support;

/// <summary>Everything an upload could leave behind: rows and files. Two equal snapshots mean nothing changed.</summary>
public sealed record StoreSnapshot(long Tracks, long Embeddings, long Passages, string Blobs, string Features, string Incoming)
{
    public static async Task<StoreSnapshot> TakeAsync(ConvEmbedApiFactory factory)
    {
        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT (SELECT count(*) FROM tracks), (SELECT count(*) FROM embeddings), (SELECT count(*) FROM passages)", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new StoreSnapshot(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2),
            Files(factory.BlobDirectory, exclude: ".incoming"), Files(factory.FeatureDirectory), Files(Path.Combine(factory.BlobDirectory, ".incoming")));
    }

    private static string Files(string folder, string? exclude = null) =>
        !Directory.Exists(folder) ? "" : string.Join("\n", Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f))
            .Where(f => exclude is null || !f.StartsWith(exclude, StringComparison.Ordinal))
            .Order());
}
