using System.Net;
using System.Net.Sockets;

namespace Governance.Testing;

/// <summary>Ports nobody listens on right now, so parallel test hosts never collide on silo or gateway ports.</summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
