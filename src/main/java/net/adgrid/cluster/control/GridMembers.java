package net.adgrid.cluster.control;

import com.hazelcast.cluster.Cluster;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.adgrid.platform.NodeIdentity;

/**
 * The data-grid members this node sees, by node name. Each node writes its own name under its
 * member id into a small grid map when it starts; members that have no name there (a node still
 * starting) are listed by their member id. Lite members (the admin console joins as one: it holds
 * no data and serves nothing) are not nodes: they are counted apart.
 */
@ApplicationScoped
public class GridMembers {

  static final String NODE_NAMES = "adgrid.node-names";

  @Resource(lookup = "payara/Hazelcast")
  HazelcastInstance grid;

  @Inject NodeIdentity node;

  /** One member as the grid reports it. */
  public record GridMember(String name, boolean local) {}

  void announce(@Observes @Initialized(ApplicationScoped.class) Object started) {
    names().put(grid.getCluster().getLocalMember().getUuid().toString(), node.name());
  }

  public String clusterName() {
    return grid.getConfig().getClusterName();
  }

  /** The members that are adgrid nodes: every data member (lite members hold no data). */
  public static List<Member> nodes(Cluster cluster) {
    return cluster.getMembers().stream().filter(m -> !m.isLiteMember()).toList();
  }

  /** Lite members in the grid now (the admin console, when it runs). */
  public int liteMembers() {
    return (int) grid.getCluster().getMembers().stream().filter(Member::isLiteMember).count();
  }

  /** The nodes, by name. */
  public List<GridMember> members() {
    List<Member> members = nodes(grid.getCluster());
    Map<String, String> known = names();
    Set<String> live =
        members.stream().map(m -> m.getUuid().toString()).collect(Collectors.toSet());
    known.keySet().stream().filter(id -> !live.contains(id)).toList().forEach(known::remove);
    return members.stream()
        .map(m -> describe(m, known.get(m.getUuid().toString())))
        .sorted(Comparator.comparing(GridMember::name))
        .toList();
  }

  static GridMember describe(Member member, String knownName) {
    String name = knownName != null ? knownName : "member-" + member.getUuid();
    return new GridMember(name, member.localMember());
  }

  private IMap<String, String> names() {
    return grid.getMap(NODE_NAMES);
  }
}
