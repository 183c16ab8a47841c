namespace Actors.Wal.Encryption;

/// <summary>
/// A fixed set of keys whose highest id is current: the <see cref="IEncryptionKeyProvider"/> for code, for a key file
/// (<see cref="FromFile"/>) and for an environment variable (<see cref="FromEnvironment"/>; development).
/// </summary>
/// <remarks>
/// Text form (file lines, or entries of the variable separated by <c>;</c>): <c>id:base64-key</c>, for example
/// <c>2:q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq8M=</c>; in a file, blank lines and lines starting with <c>#</c> are
/// ignored. Rotation: add a line with a higher id, reopen the log, compact; remove the old line once no segment needs it.
/// Immutable and thread-safe.
/// </remarks>
public sealed class EncryptionKeyring : IEncryptionKeyProvider
{
    private readonly Dictionary<uint, EncryptionKey> _keys;

    /// <summary>Creates a keyring; the key with the highest id is current.</summary>
    /// <exception cref="ArgumentException">No key, or two keys with the same id.</exception>
    public EncryptionKeyring(IEnumerable<EncryptionKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keys = [];
        foreach (var key in keys)
        {
            ArgumentNullException.ThrowIfNull(key, nameof(keys));
            if (!_keys.TryAdd(key.Id, key))
            {
                throw new ArgumentException($"Two encryption keys have the id {key.Id}.", nameof(keys));
            }
        }

        if (_keys.Count == 0)
        {
            throw new ArgumentException("An encryption keyring needs at least one key.", nameof(keys));
        }

        CurrentKey = _keys[_keys.Keys.Max()];
    }

    /// <inheritdoc />
    public EncryptionKey CurrentKey { get; }

    /// <summary>The ids of the keys held, ascending.</summary>
    public IReadOnlyList<uint> KeyIds => [.. _keys.Keys.Order()];

    /// <inheritdoc />
    public EncryptionKey? FindKey(uint keyId) => _keys.GetValueOrDefault(keyId);

    /// <summary>Reads a key file (one <c>id:base64-key</c> per line).</summary>
    /// <exception cref="FormatException">A line is malformed; the message names the file and the line number.</exception>
    /// <exception cref="ArgumentException">No key, or two keys with the same id.</exception>
    public static EncryptionKeyring FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string[] lines = File.ReadAllLines(path);
        var keys = new List<EncryptionKey>();
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length > 0 && line[0] != '#')
            {
                keys.Add(Parse(line, $"key file '{path}', line {i + 1}"));
            }
        }

        return new EncryptionKeyring(keys);
    }

    /// <summary>Reads the keys from an environment variable (<c>id:base64-key</c> entries separated by <c>;</c>).</summary>
    /// <exception cref="InvalidOperationException">The variable is not set.</exception>
    /// <exception cref="FormatException">An entry is malformed; the message names the variable and the entry.</exception>
    public static EncryptionKeyring FromEnvironment(string variable)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(variable);
        string value = Environment.GetEnvironmentVariable(variable)
            ?? throw new InvalidOperationException($"The environment variable '{variable}' that should hold the log's encryption keys is not set.");
        var entries = value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new EncryptionKeyring(entries.Select((entry, i) => Parse(entry, $"environment variable '{variable}', entry {i + 1}")));
    }

    private static EncryptionKey Parse(string entry, string where)
    {
        int colon = entry.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !uint.TryParse(entry.AsSpan(0, colon), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out uint id) || id == 0)
        {
            throw new FormatException($"The {where} is not 'id:base64-key' with an id of 1 or more.");
        }

        byte[] material;
        try
        {
            material = Convert.FromBase64String(entry[(colon + 1)..]);
        }
        catch (FormatException ex)
        {
            throw new FormatException($"The key of the {where} is not valid base64.", ex);
        }

        try
        {
            return new EncryptionKey(id, material);
        }
        catch (ArgumentException ex)
        {
            throw new FormatException($"The {where}: {ex.Message}", ex);
        }
    }
}
