namespace Actors.Storage;

/// <summary>A persistent state the activation loads before OnActivateAsync.</summary>
internal interface IPersistentStateLoader
{
    Task LoadAsync();
}
