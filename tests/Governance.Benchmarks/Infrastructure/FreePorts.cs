using System.Net;
using System.Net.Sockets;

namespace Governance.Benchmarks.Infrastructure;

/// <summary>Ports nobody listens on right now: the machine may run other hosts and silos.</summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
