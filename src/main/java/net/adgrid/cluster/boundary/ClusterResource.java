package net.adgrid.cluster.boundary;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import net.adgrid.cluster.control.GridMembers;
import net.adgrid.cluster.control.GridMembers.GridMember;
import net.adgrid.cluster.control.PageViewCounter;
import net.adgrid.cluster.entity.PageViews;
import net.adgrid.platform.NodeIdentity;

/**
 * {@code GET /api/v1/cluster}: which node answered, the grid members it sees, the build it runs,
 * and the cluster-wide home page view count as this node's shared cache holds it. Member names
 * only: grid addresses belong to the private network and are not shown to the public.
 */
@Path("cluster")
public class ClusterResource {

  @Inject NodeIdentity node;
  @Inject GridMembers grid;
  @Inject PageViewCounter pageViews;

  /** The document this resource returns. */
  public record ClusterView(
      String node,
      String version,
      String built,
      String gridName,
      int gridSize,
      List<GridMember> members,
      int liteMembers,
      PageViewCounter.Reading homePageViews) {}

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Response describe() {
    List<GridMember> members = grid.members();
    ClusterView view =
        new ClusterView(
            node.name(),
            node.version(),
            node.buildTime(),
            grid.clusterName(),
            members.size(),
            members,
            grid.liteMembers(),
            pageViews.read(PageViews.HOME));
    CacheControl noStore = new CacheControl();
    noStore.setNoStore(true);
    return Response.ok(view).cacheControl(noStore).build();
  }
}
