package playground.oracle;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;

import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * One Metadata request on a plain socket. The Admin client's TopicPartitionInfo has no
 * leader epoch; the MetadataResponse a broker sends does (MetadataResponsePartition.leaderEpoch).
 */
final class RawMetadata {
    private static final short VERSION = 12;

    private RawMetadata() {}

    static MetadataResponseData fetch(int port, List<String> topics) throws IOException {
        var request = new MetadataRequest.Builder(topics, false).build(VERSION);
        RequestHeader header = new RequestHeader(ApiKeys.METADATA, VERSION, "oracle-metadata", 1);
        ByteBuffer out = request.serializeWithHeader(header);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(5000);
            var dout = new DataOutputStream(s.getOutputStream());
            dout.writeInt(out.remaining());
            dout.write(out.array(), out.arrayOffset() + out.position(), out.remaining());
            dout.flush();
            var din = new DataInputStream(s.getInputStream());
            byte[] body = new byte[din.readInt()];
            din.readFully(body);
            var response = (MetadataResponse) AbstractResponse.parseResponse(ByteBuffer.wrap(body), header);
            return response.data();
        }
    }
}
