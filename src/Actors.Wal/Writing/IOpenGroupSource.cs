namespace Actors.Wal.Writing;

/// <summary>The writer as the committer sees it: the source of the group being framed.</summary>
internal interface IOpenGroupSource
{
    /// <summary>
    /// The committer is ready for more (committer thread): the group framed so far is posted to it now, or by the thread
    /// that frames as soon as it is done, or as soon as anything is framed. Never blocks.
    /// </summary>
    void RequestGroup();
}
