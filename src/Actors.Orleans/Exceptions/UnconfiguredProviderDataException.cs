using Orleans;

namespace Actors.Orleans;

/// <summary>
/// The silo's log holds streams of write-ahead-log providers this silo does not configure (a provider renamed, removed,
/// or moved between <c>[WriteAheadLog]</c> and the <c>...AsDefault</c> registrations): their grains would read as never
/// written. The silo does not start. Configure those providers again, or name them in
/// <see cref="SiloLogOptions.RetiredProviders"/> to leave their data unread on purpose.
/// </summary>
[GenerateSerializer]
public sealed class UnconfiguredProviderDataException : WriteAheadLogProviderException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="directory">The log's directory.</param>
    /// <param name="unconfigured">The stream prefixes with data and no configured provider.</param>
    /// <param name="configured">The stream prefixes of the providers this silo configures.</param>
    public UnconfiguredProviderDataException(string directory, IReadOnlyList<string> unconfigured, IReadOnlyList<string> configured)
        : base(
            $"The write-ahead log in '{directory}' holds grain data under stream prefixes {Quote(unconfigured)} that no provider of this silo owns " +
            $"(this silo's providers own {Quote(configured)}). A provider was renamed or removed, or a grain class moved between [WriteAheadLog] " +
            $"(provider 'WriteAheadLog') and the ...AsDefault registrations (provider 'Default'): those grains would read as never written. " +
            $"Configure the provider under its old name again, or list it in SiloLogOptions.{nameof(SiloLogOptions.RetiredProviders)} to leave its data unread.",
            null)
    {
        Directory = directory;
        UnconfiguredPrefixes = [.. unconfigured];
    }

    /// <summary>The log's directory.</summary>
    [Id(0)]
    public string Directory { get; private set; }

    /// <summary>The stream prefixes (<c>s/{provider}/</c>, <c>j/{provider}/</c>) that hold data and that no configured provider owns.</summary>
    [Id(1)]
    public string[] UnconfiguredPrefixes { get; private set; }

    private static string Quote(IReadOnlyList<string> prefixes) => prefixes.Count == 0 ? "(none)" : string.Join(", ", prefixes.Select(p => $"'{p}'"));
}
